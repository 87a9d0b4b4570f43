/**
 * Secret redaction, applied to every event as it arrives, before the model, the store, a log or
 * any output sees it. Bazel does not redact header options, URL user-info or `--client_env` values
 * in BEP command lines, options lists, `optionsDescription` or progress text, so we do.
 *
 * Rules: the value of a header option keeps its name (`x-api-key=***`), URL user-info becomes
 * `***@`, and a `--client_env` value whose name looks secret becomes `***`. Every secret value
 * seen is also remembered and masked wherever it appears again in later text of the same stream.
 */
import type { BepEvent } from '../bep/types';

export const MASK = '***';

/** Options whose value is `NAME=VALUE` with a secret VALUE. */
const HEADER_OPTIONS = [
  'remote_header',
  'remote_cache_header',
  'remote_exec_header',
  'remote_downloader_header',
  'bes_header',
];
const SECRET_ENV_NAME =
  /(TOKEN|SECRET|PASSW|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|COOKIE|SESSION)/i;
const VALUE_OPTIONS = new Set([...HEADER_OPTIONS, 'client_env']);
const BARE_FLAG = /^--([a-z_]+)$/;
/** Remembered values shorter than this are not masked in free text (too many false hits). */
const MIN_REMEMBERED = 4;

const optionAlternation = [...HEADER_OPTIONS, 'client_env'].join('|');
/** `--remote_header=name=value`, `--remote_header name=value`, `--remote_header='name=a b'`. */
const INLINE_OPTION = new RegExp(
  `(--(?:${optionAlternation}))(=|\\s+)(?:(['"])([^=\\s'"]+)=([^'"]*)\\3|([^=\\s'"]+)=([^\\s'"]*))`,
  'g',
);
/** user-info of any URL: `scheme://user:pass@host` or `scheme://token@host`. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]+@/gi;

export function isSecretValueFor(option: string, name: string): boolean {
  if (HEADER_OPTIONS.includes(option)) return true;
  return option === 'client_env' && SECRET_ENV_NAME.test(name);
}

/** Redacts one stream's text and events; remembers secrets so later text is masked too. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Redacts free text (console lines, progress chunks, option strings). */
  text(input: string): string {
    // Most strings (paths, digests, mnemonics) can match neither pattern: an option needs `--`,
    // user-info needs `@`. Skipping them is exact, not a heuristic; remembered secrets are still
    // looked for below.
    if (!input.includes('--') && !input.includes('@')) return this.maskRemembered(input);
    let out = input.replace(INLINE_OPTION, (whole: string, ...groups: unknown[]) => {
      const [flag, sep, quote, quotedName, quotedValue, plainName, plainValue] = groups.map((g) =>
        typeof g === 'string' ? g : '',
      );
      const name = quote ? quotedName : plainName;
      const value = quote ? quotedValue : plainValue;
      if (!isSecretValueFor((flag ?? '').slice(2), name ?? '') || value === MASK) return whole;
      this.remember(value ?? '');
      return `${flag}${sep}${quote}${name}=${MASK}${quote}`;
    });
    out = out.replace(URL_USERINFO, (whole: string, scheme: string) => {
      const info = whole.slice(scheme.length, -1);
      if (info === MASK) return whole;
      for (const part of info.split(':')) {
        this.remember(part);
        this.remember(safeDecode(part));
      }
      return `${scheme}${MASK}@`;
    });
    return this.maskRemembered(out);
  }

  private maskRemembered(input: string): string {
    let out = input;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** Redacts an argv-like list, where a flag's value may be the next element. */
  args(list: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const arg = list[i] ?? '';
      const bare = arg.startsWith('--') ? BARE_FLAG.exec(arg) : null;
      const next = list[i + 1];
      if (bare && next !== undefined && VALUE_OPTIONS.has(bare[1] ?? '')) {
        out.push(arg, this.optionValue(bare[1] ?? '', next));
        i++;
        continue;
      }
      out.push(this.text(arg));
    }
    return out;
  }

  /** Redacts the value of option `name` given as `NAME=VALUE` (structured command lines). */
  optionValue(option: string, value: string): string {
    const eq = value.indexOf('=');
    const name = eq >= 0 ? value.slice(0, eq) : value;
    if (eq >= 0 && isSecretValueFor(option, name)) {
      const secret = value.slice(eq + 1);
      if (secret !== MASK) this.remember(secret);
      return `${name}=${MASK}`;
    }
    return this.text(value);
  }

  /** Returns a redacted copy of a BEP event (JSON-mapping shape). */
  event(event: BepEvent): BepEvent {
    const copy = this.structured(event);
    return this.deep(copy) as BepEvent;
  }

  private structured(event: BepEvent): BepEvent {
    const scl = event.structuredCommandLine;
    if (!scl?.sections) return event;
    const sections = scl.sections.map((section) => {
      const options = section.optionList?.option;
      if (!options) return section;
      return {
        ...section,
        optionList: {
          option: options.map((o) => {
            const name = o.optionName ?? '';
            if (o.optionValue === undefined) return o;
            const value = this.optionValue(name, o.optionValue);
            const combinedForm = o.combinedForm === undefined ? undefined : `--${name}=${value}`;
            return combinedForm === undefined
              ? { ...o, optionValue: value }
              : { ...o, optionValue: value, combinedForm };
          }),
        },
      };
    });
    return { ...event, structuredCommandLine: { ...scl, sections } };
  }

  /**
   * Every string anywhere in the value, with argv-aware handling of string arrays. Copies only
   * the objects and arrays on the path to a changed string: the rest is returned as it came (the
   * decoded event is the sink's own, nobody else holds it).
   */
  private deep(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string')) {
        const list = this.args(value as string[]);
        return list.every((v, i) => v === value[i]) ? value : list;
      }
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        const r = this.deep(v);
        if (r === v) continue;
        copy ??= value.slice();
        copy[i] = r;
      }
      return copy ?? value;
    }
    if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      let copy: Record<string, unknown> | null = null;
      for (const k in value) {
        if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
        const v = (value as Record<string, unknown>)[k];
        const r = k === 'contents' && typeof v === 'string' ? this.base64(v) : this.deep(v);
        if (r === v) continue;
        copy ??= { ...(value as Record<string, unknown>) };
        copy[k] = r;
      }
      return copy ?? value;
    }
    return value;
  }

  /**
   * A file's inline `contents` (base64 in BEP's JSON shape): an action's stdout or stderr can
   * print a secret, and the model decodes these, so they are redacted as text too. Re-encoded
   * only when something was masked.
   */
  private base64(encoded: string): string {
    const text = Buffer.from(encoded, 'base64').toString('utf8');
    const masked = this.text(text);
    return masked === text ? encoded : Buffer.from(masked, 'utf8').toString('base64');
  }

  private remember(secret: string): void {
    if (secret.length >= MIN_REMEMBERED && secret !== MASK) this.secrets.add(secret);
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
