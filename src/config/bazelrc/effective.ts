import type { RcChain, RcEntry } from './chain';
import type { SingleKey, Sourced } from '../report';
import type { RcWord } from './parse';

export interface BazelEffective {
  single: Partial<Record<SingleKey, Sourced>>;
  /** Header name → value (a secret: never print it). */
  headers: Record<string, Sourced>;
  platform: Record<string, Sourced>;
  warnings: string[];
}

/** Bazel flags that carry one value each, and the setting they feed. */
export const SINGLE_FLAGS: Record<string, SingleKey> = {
  remote_executor: 'executor',
  remote_cache: 'cache',
  remote_instance_name: 'instance',
  tls_certificate: 'tlsCa',
  tls_client_certificate: 'tlsCert',
  tls_client_key: 'tlsKey',
  jobs: 'jobs',
  remote_download_outputs: 'downloadMode',
  bes_backend: 'besBackend',
};

/** Repeatable `NAME=VALUE` flags. */
export const HEADER_FLAGS = ['remote_header', 'remote_cache_header', 'remote_exec_header'];
export const PLATFORM_FLAG = 'remote_default_exec_properties';

/** The commands whose rc lines apply to `bazel build`, in the order Bazel applies them. */
const BUILD_COMMANDS = ['always', 'common', 'build'];

/** Splits an rc word into a long flag's name and its `=value` (null when there is none). */
export function splitFlag(word: string): { name: string; value: string | null } | null {
  if (!word.startsWith('--')) return null;
  const eq = word.indexOf('=');
  return eq < 0
    ? { name: word.slice(2), value: null }
    : { name: word.slice(2, eq), value: word.slice(eq + 1) };
}

/**
 * The remote settings `bazel build [--config=NAME]` would use, computed as Bazel does:
 * `common` lines of every rc file, then `build` lines, each in file order with imports in
 * place, `--config` expanded where it appears, later values overriding earlier ones.
 */
export function effectiveBazelSettings(chain: RcChain, config: string | null): BazelEffective {
  const result: BazelEffective = { single: {}, headers: {}, platform: {}, warnings: [] };
  const expanding: string[] = [];

  const take = (entry: RcEntry, word: RcWord): Sourced => ({
    value: word.value,
    file: entry.file.displayPath,
    line: entry.line.lineNumber,
  });

  const apply = (entry: RcEntry): void => {
    const args = entry.args;
    for (let i = 0; i < args.length; i++) {
      const word = args[i].value;
      if (word === '-j' && i + 1 < args.length) {
        result.single.jobs = take(entry, args[++i]);
        continue;
      }
      const flag = splitFlag(word);
      if (!flag) continue;
      const valueWord = (): RcWord | null => {
        if (flag.value !== null) return { ...args[i], value: flag.value };
        return i + 1 < args.length ? args[++i] : null;
      };
      if (flag.name === 'config') {
        const v = valueWord();
        if (v) expand(v.value);
      } else if (flag.name in SINGLE_FLAGS) {
        const v = valueWord();
        if (!v) continue;
        const key = SINGLE_FLAGS[flag.name];
        // An empty value (`--remote_cache=`) switches the setting off again.
        if (v.value === '') delete result.single[key];
        else result.single[key] = take(entry, v);
      } else if (
        flag.name === 'remote_download_minimal' ||
        flag.name === 'remote_download_toplevel'
      ) {
        result.single.downloadMode = {
          ...take(entry, args[i]),
          value: flag.name === 'remote_download_minimal' ? 'minimal' : 'toplevel',
        };
      } else if (HEADER_FLAGS.includes(flag.name) || flag.name === PLATFORM_FLAG) {
        const v = valueWord();
        if (!v) continue;
        const eq = v.value.indexOf('=');
        if (eq <= 0) continue;
        const target = flag.name === PLATFORM_FLAG ? result.platform : result.headers;
        target[v.value.slice(0, eq)] = { ...take(entry, v), value: v.value.slice(eq + 1) };
      }
    }
  };

  const expand = (name: string): void => {
    if (expanding.includes(name)) {
      result.warnings.push(`--config=${name} expands to itself`);
      return;
    }
    expanding.push(name);
    let found = false;
    for (const command of BUILD_COMMANDS) {
      for (const entry of chain.entries) {
        if (entry.command === command && entry.config === name) {
          found = true;
          apply(entry);
        }
      }
    }
    // Bazel 4 also accepts configs defined only for other commands; only a total absence fails.
    if (!found && !chain.entries.some((e) => e.config === name)) {
      result.warnings.push(`config '${name}' is not defined in any rc file`);
    }
    expanding.pop();
  };

  for (const command of BUILD_COMMANDS) {
    for (const entry of chain.entries) {
      if (entry.command === command && entry.config === null) apply(entry);
    }
  }
  if (config !== null) expand(config);
  return result;
}
