import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import type { EditPlan, FileChange } from '../edit-plan';
import { MARK, createdFileText, isOnlyCreatedLine } from '../lines';
import {
  SECRETS_FILE_MODE,
  gitignoreAddition,
  gitignoreRemoval,
  looseModeWarning,
  secretsFileGitState,
} from '../secrets-file';
import type { RemoteSettings } from '../settings';
import { readTextFile, type TextFile } from '../text-file';
import { compareVersions } from '../version';
import {
  CLIENT_CERT_OPTIONS_SINCE,
  HEADER_OPTIONS,
  PLATFORM_OPTION,
  effectivePantsSettings,
  globalEntries,
  optionGeneration,
  optionValue,
  pinnedVersion,
} from './effective';
import { configFileName, loadPantsFiles, scanTomlFile, type PantsOptions } from './files';
import type { TomlValue } from './toml-scan';
import { WAS, removeMarked, sameValue, setGlobalOption } from './toml-edit';

function hostPort(flag: string, url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'grpc:' && u.protocol !== 'grpcs:') {
    throw new InputError('Pants takes grpc:// or grpcs:// addresses only', flag);
  }
  return u.host;
}

function checkGrpc(flag: string, url: string): string {
  hostPort(flag, url);
  return url;
}

/** Header values in a TOML text (for hiding them in diffs), from any headers table. */
function headerSecretsIn(text: string): string[] {
  const out: string[] = [];
  try {
    for (const e of globalEntries(scanTomlFile(text, ''))) {
      if (!HEADER_OPTIONS.includes(e.key[0])) continue;
      if (typeof e.value === 'object' && !Array.isArray(e.value)) {
        for (const v of Object.values(e.value)) if (typeof v === 'string') out.push(v);
      }
    }
  } catch {
    // Unparsable text has no header table we could hide anyway.
  }
  // A header table we replaced keeps its original (secret values too) in the marker comment.
  for (const line of text.split('\n')) {
    const was = line.indexOf(WAS);
    if (was < 0 || !HEADER_OPTIONS.some((h) => line.trimStart().startsWith(h))) continue;
    try {
      const original: unknown = JSON.parse(line.slice(was + WAS.length));
      if (typeof original === 'string')
        out.push(...headerSecretsIn(`[GLOBAL]\n${original.trim()}\n`));
    } catch {
      // Not our marker after all.
    }
  }
  return out;
}

/** Plans `rbl remote set` for Pants: pants.toml (or pants.NAME.toml) and .pants.rc for secrets. */
export function planPantsSet(options: PantsOptions, settings: RemoteSettings): EditPlan {
  const ws = path.resolve(options.workspace);
  const target = readTextFile(ws, path.join(ws, configFileName(options.config)));
  const main = readTextFile(ws, path.join(ws, 'pants.toml'));
  const mainDoc = scanTomlFile(main.text, main);
  const targetDoc = scanTomlFile(target.text, target);
  const version = pinnedVersion(targetDoc) ?? pinnedVersion(mainDoc);
  const generation = optionGeneration(target.exists ? targetDoc : mainDoc, version);
  const before = effectivePantsSettings(loadPantsFiles(options), options);
  const warnings: string[] = [];
  if (settings.tlsCert !== undefined || settings.tlsKey !== undefined) {
    const old =
      generation === 'old' ||
      (version !== null && compareVersions(version, CLIENT_CERT_OPTIONS_SINCE) < 0);
    if (old) {
      throw new InputError(
        `Pants ${version ?? '< 2.2'} has no client certificate option (remote_client_certs_path came in ${CLIENT_CERT_OPTIONS_SINCE})`,
        settings.tlsCert !== undefined ? '--tls-cert' : '--tls-key',
      );
    }
  }
  const wanted: [string, TomlValue][] = [];
  if (settings.executor !== undefined) {
    wanted.push(
      generation === 'new'
        ? ['remote_execution_address', checkGrpc('--executor', settings.executor)]
        : ['remote_execution_server', hostPort('--executor', settings.executor)],
      ['remote_execution', true],
    );
  }
  // Remote execution needs a store; Bazel-style servers serve both on one endpoint.
  const store = settings.cache ?? (before.single.cache ? undefined : settings.executor);
  if (store !== undefined) {
    wanted.push(
      generation === 'new'
        ? ['remote_store_address', checkGrpc('--cache', store)]
        : ['remote_store_server', [hostPort('--cache', store)]],
      ['remote_cache_read', true],
      ['remote_cache_write', true],
    );
  }
  if (settings.instance !== undefined) wanted.push(['remote_instance_name', settings.instance]);
  if (settings.tlsCa !== undefined) wanted.push(['remote_ca_certs_path', settings.tlsCa]);
  if (settings.tlsCert !== undefined) wanted.push(['remote_client_certs_path', settings.tlsCert]);
  if (settings.tlsKey !== undefined) wanted.push(['remote_client_key_path', settings.tlsKey]);
  if (settings.jobs !== undefined) {
    wanted.push(['process_execution_remote_parallelism', settings.jobs]);
  }
  if (settings.platform !== undefined) {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries(before.platform)) merged[k] = v.value;
    Object.assign(merged, settings.platform);
    wanted.push([PLATFORM_OPTION, Object.entries(merged).map(([k, v]) => `${k}=${v}`)]);
  }
  let text = target.exists ? target.text : createdFileText();
  for (const [name, value] of wanted) text = setGlobalOption(text, target, name, value);
  const changes: FileChange[] = [{ file: target, after: text, secrets: [] }];
  const newSecrets = Object.values(settings.headers ?? {});
  if (settings.headers !== undefined) {
    changes.push(...secretsChanges(ws, settings.headers, warnings));
    warnings.push('Pants reads .pants.rc on every run, so the headers apply whatever --config');
    if (generation === 'old') {
      warnings.push(
        'Pants before 2.2 may not know remote_store_headers; if it says so, use remote_oauth_bearer_token_path instead',
      );
    }
  }
  // Read the result as Pants would, and say which later file or variable still overrides.
  const after = loadPantsFiles(
    options,
    new Map([
      [target.realPath, text],
      [target.path, text],
    ]),
  );
  for (const [name, value] of wanted) {
    const seen = optionValue(after, options, name);
    if (seen && !sameValue(seen.value, value)) {
      warnings.push(
        `${name} is set in ${target.displayPath}, but ${seen.file}${seen.line > 0 ? `:${seen.line}` : ''} overrides it`,
      );
    }
  }
  for (const c of changes) {
    c.secrets = [...newSecrets, ...headerSecretsIn(c.file.text), ...headerSecretsIn(c.after ?? '')];
  }
  return { changes, warnings };
}

/** The header tables in .pants.rc (a pantsrc file Pants reads by default), kept out of git. */
function secretsChanges(
  ws: string,
  headers: Record<string, string>,
  warnings: string[],
): FileChange[] {
  const rcPath = path.join(ws, '.pants.rc');
  const state = secretsFileGitState(ws, rcPath);
  if (state === 'tracked') {
    throw new InputError(
      '.pants.rc is tracked by git, so a header value written there would be committed; untrack it (git rm --cached .pants.rc), add it to .gitignore, and run again',
      '--header',
    );
  }
  const rc: TextFile = readTextFile(ws, rcPath, SECRETS_FILE_MODE);
  const loose = looseModeWarning(rc);
  if (loose) warnings.push(loose);
  let text = rc.exists ? rc.text : createdFileText();
  const doc = scanTomlFile(text, rc);
  for (const name of HEADER_OPTIONS) {
    const current = globalEntries(doc).find((e) => e.key.length === 1 && e.key[0] === name);
    const merged: Record<string, TomlValue> =
      current && typeof current.value === 'object' && !Array.isArray(current.value)
        ? { ...current.value }
        : {};
    Object.assign(merged, headers);
    text = setGlobalOption(text, rc, name, merged);
  }
  const out: FileChange[] = [{ file: rc, after: text, secrets: [] }];
  if (state === 'untracked') out.push(gitignoreAddition(ws, rcPath));
  return out;
}

function pantsConfigsWithMarks(ws: string, except: string): boolean {
  const names = fs.readdirSync(ws).filter((n) => /^pants(\..+)?\.toml$/.test(n));
  return names.some((n) => {
    const p = path.join(ws, n);
    if (p === except) return false;
    try {
      return fs.readFileSync(p, 'utf8').includes(MARK);
    } catch {
      return false;
    }
  });
}

/** Plans `rbl remote disable` for Pants: puts back every line `set` replaced or added. */
export function planPantsDisable(options: PantsOptions): EditPlan {
  const ws = path.resolve(options.workspace);
  const target = readTextFile(ws, path.join(ws, configFileName(options.config)));
  const changes: FileChange[] = [];
  if (target.exists) {
    const after = removeMarked(target.text);
    changes.push({ file: target, after: isOnlyCreatedLine(after) ? null : after, secrets: [] });
  }
  if (!pantsConfigsWithMarks(ws, target.realPath)) {
    const rc = readTextFile(ws, path.join(ws, '.pants.rc'));
    if (rc.exists && rc.text.includes(MARK)) {
      const after = removeMarked(rc.text);
      changes.push({ file: rc, after: isOnlyCreatedLine(after) ? null : after, secrets: [] });
      const ignore = gitignoreRemoval(ws, [rc.realPath]);
      if (ignore) changes.push(ignore);
    }
  }
  for (const c of changes) c.secrets = [...headerSecretsIn(c.file.text)];
  return { changes, warnings: [] };
}
