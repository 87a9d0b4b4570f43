import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import type { EditPlan, FileChange } from '../edit-plan';
import {
  createdFileText,
  isOnlyCreatedLine,
  dominantEol,
  insertLines,
  joinLines,
  removeLines,
  splitLines,
  type Line,
} from '../lines';
import {
  SECRETS_FILE_MODE,
  gitignoreAddition,
  gitignoreRemoval,
  looseModeWarning,
  secretsFileGitState,
} from '../secrets-file';
import type { RemoteSettings } from '../settings';
import { readTextFile } from '../text-file';
import {
  SECTION,
  buckConfigFileName,
  effectiveBuckSettings,
  loadBuckFiles,
  parseHeaders,
  type BuckOptions,
} from './effective';
import { BLOCK_BEGIN, BLOCK_END, findBlocks, parseBuckconfig } from './parse';

/** Buck2 takes grpc:// addresses and a separate `tls` switch. */
function address(flag: string, url: string): { address: string; tls: boolean } {
  const u = new URL(url);
  if (u.protocol !== 'grpc:' && u.protocol !== 'grpcs:') {
    throw new InputError('Buck2 takes grpc:// or grpcs:// addresses only', flag);
  }
  return { address: `grpc://${url.slice(u.protocol.length + 2)}`, tls: u.protocol === 'grpcs:' };
}

/** Key/value pairs of our existing block in `lines`, in order. */
function blockValues(lines: readonly Line[], displayPath: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [begin, end] of findBlocks(lines)) {
    const text = lines
      .slice(begin, end + 1)
      .map((l) => `${l.text}\n`)
      .join('');
    for (const e of parseBuckconfig(text, displayPath).entries) out.set(e.key, e.value);
  }
  return out;
}

/**
 * Writes `values` as our marked [buck2_re_client] block: rewritten in place when one exists
 * (so `set` twice changes nothing), else appended at the end where it overrides earlier lines.
 */
export function withBlock(text: string, values: Map<string, string>): string {
  const lines = splitLines(text);
  const blocks = findBlocks(lines);
  const body = [
    BLOCK_BEGIN,
    `[${SECTION}]`,
    ...[...values].map(([k, v]) => `${k} = ${v}`),
    BLOCK_END,
  ];
  const eol = text === '' ? '\n' : dominantEol(text);
  if (blocks.length > 0) {
    const [begin, end] = blocks[0];
    const lastEol = lines[end].eol;
    const replaced: Line[] = body.map((t) => ({ text: t, eol, start: -1 }));
    replaced[replaced.length - 1].eol = lastEol;
    return joinLines([...lines.slice(0, begin), ...replaced, ...lines.slice(end + 1)]);
  }
  const added = insertLines(lines, lines.length, body, eol);
  if (text === '') added[added.length - 1].eol = '\n';
  return joinLines(added);
}

export function withoutBlocks(text: string): string {
  const lines = splitLines(text);
  const remove = new Set<number>();
  for (const [begin, end] of findBlocks(lines)) for (let i = begin; i <= end; i++) remove.add(i);
  return joinLines(removeLines(lines, remove));
}

function headerSecrets(text: string): string[] {
  try {
    return parseBuckconfig(text, '')
      .entries.filter((e) => e.key === 'http_headers')
      .flatMap((e) => parseHeaders(e.value).map(([, v]) => v))
      .filter((v) => !v.startsWith('$'));
  } catch {
    return [];
  }
}

/** Plans `rbl remote set` for Buck2: a marked block in .buckconfig, headers in .buckconfig.local. */
export function planBuckSet(options: BuckOptions, settings: RemoteSettings): EditPlan {
  const ws = path.resolve(options.workspace);
  if (options.config !== null && !/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(options.config)) {
    throw new InputError(`'${options.config}' is not a usable file suffix`, '--config');
  }
  if (options.config === 'local' || options.config === 'd') {
    throw new InputError(
      `'${options.config}' names a file Buck2 always reads; pick another`,
      '--config',
    );
  }
  if (settings.tlsKey !== undefined && settings.tlsKey !== settings.tlsCert) {
    throw new InputError(
      'Buck2 reads the client key from the tls_client_cert file: pass one PEM with certificate and key as --tls-cert',
      '--tls-key',
    );
  }
  const before = effectiveBuckSettings(loadBuckFiles(options), options);
  const target = readTextFile(ws, path.join(ws, buckConfigFileName(options.config)));
  const values = blockValues(splitLines(target.text), target.displayPath);
  const want = (key: string, value: string, current: string | undefined): void => {
    if (values.has(key) || current !== value) values.set(key, value);
  };
  const currentRaw = (key: string): string | undefined => {
    for (const f of loadBuckFiles(options).reverse()) {
      const e = f.doc.entries.filter((x) => x.section === SECTION && x.key === key).pop();
      if (e) return e.value;
    }
    return undefined;
  };
  let tls: boolean | undefined;
  if (settings.executor !== undefined) {
    const a = address('--executor', settings.executor);
    want('engine_address', a.address, currentRaw('engine_address'));
    tls = a.tls;
  }
  const cache = settings.cache ?? (before.single.cache ? undefined : settings.executor);
  if (cache !== undefined) {
    const a = address('--cache', cache);
    want('action_cache_address', a.address, currentRaw('action_cache_address'));
    want('cas_address', a.address, currentRaw('cas_address'));
    tls = a.tls;
  }
  if (tls !== undefined) want('tls', String(tls), currentRaw('tls'));
  if (settings.instance !== undefined)
    want('instance_name', settings.instance, currentRaw('instance_name'));
  if (settings.tlsCa !== undefined)
    want('tls_ca_certs', settings.tlsCa, currentRaw('tls_ca_certs'));
  if (settings.tlsCert !== undefined) {
    want('tls_client_cert', settings.tlsCert, currentRaw('tls_client_cert'));
  }
  const changes: FileChange[] = [];
  const hasBlock = findBlocks(splitLines(target.text)).length > 0;
  if (values.size > 0 || hasBlock) {
    changes.push({
      file: target,
      after:
        values.size > 0
          ? withBlock(target.exists ? target.text : createdFileText(), values)
          : target.text,
      secrets: [],
    });
  }
  const newSecrets = Object.values(settings.headers ?? {});
  let secretsWarning: string | null = null;
  if (settings.headers !== undefined) {
    const localPath = path.join(ws, '.buckconfig.local');
    const state = secretsFileGitState(ws, localPath);
    if (state === 'tracked') {
      throw new InputError(
        '.buckconfig.local is tracked by git, so a header value written there would be committed; untrack it (git rm --cached .buckconfig.local), add it to .gitignore, and run again',
        '--header',
      );
    }
    const local = readTextFile(ws, localPath, SECRETS_FILE_MODE);
    secretsWarning = looseModeWarning(local);
    const localValues = blockValues(splitLines(local.text), local.displayPath);
    const headers = new Map(parseHeaders(localValues.get('http_headers') ?? ''));
    for (const [k, v] of Object.entries(settings.headers)) {
      if (/[,\n]/.test(k) || /[,\n]/.test(v)) {
        throw new InputError(
          'a Buck2 header name or value cannot contain a comma or newline',
          '--header',
        );
      }
      headers.set(k, v);
    }
    localValues.set('http_headers', [...headers].map(([k, v]) => `${k}:${v}`).join(', '));
    const base = local.exists ? local.text : createdFileText();
    changes.push({ file: local, after: withBlock(base, localValues), secrets: [] });
    if (state === 'untracked') changes.push(gitignoreAddition(ws, localPath));
  }
  for (const c of changes) {
    c.secrets = [...newSecrets, ...headerSecrets(c.file.text), ...headerSecrets(c.after ?? '')];
  }
  // Read the result as Buck2 would, and say which later file still overrides a value.
  const overrides = new Map(
    changes.flatMap((c) => [
      [c.file.realPath, c.after],
      [c.file.path, c.after],
    ]),
  );
  const warnings: string[] = secretsWarning ? [secretsWarning] : [];
  const files = loadBuckFiles(options, overrides);
  for (const [key, value] of values) {
    for (const f of [...files].reverse()) {
      const e = f.doc.entries.filter((x) => x.section === SECTION && x.key === key).pop();
      if (!e) continue;
      if (e.value !== value)
        warnings.push(`${key} is set, but ${f.displayPath}:${e.firstLine + 1} overrides it`);
      break;
    }
  }
  return { changes, warnings };
}

/** Plans `rbl remote disable` for Buck2: removes our blocks (and the secrets block when last). */
export function planBuckDisable(options: BuckOptions): EditPlan {
  const ws = path.resolve(options.workspace);
  const target = readTextFile(ws, path.join(ws, buckConfigFileName(options.config)));
  const changes: FileChange[] = [];
  if (target.exists) {
    const after = withoutBlocks(target.text);
    changes.push({ file: target, after: isOnlyCreatedLine(after) ? null : after, secrets: [] });
  }
  const others = fs
    .readdirSync(ws)
    .filter(
      (n) =>
        n.startsWith('.buckconfig') &&
        n !== '.buckconfig.local' &&
        path.join(ws, n) !== target.realPath,
    )
    .some((n) => {
      try {
        return findBlocks(splitLines(fs.readFileSync(path.join(ws, n), 'utf8'))).length > 0;
      } catch {
        return false;
      }
    });
  if (!others) {
    const local = readTextFile(ws, path.join(ws, '.buckconfig.local'));
    if (local.exists && findBlocks(splitLines(local.text)).length > 0) {
      const after = withoutBlocks(local.text);
      changes.push({ file: local, after: isOnlyCreatedLine(after) ? null : after, secrets: [] });
      const ignore = gitignoreRemoval(ws, [local.realPath]);
      if (ignore) changes.push(ignore);
    }
  }
  for (const c of changes) c.secrets = headerSecrets(c.file.text);
  return { changes, warnings: [] };
}
