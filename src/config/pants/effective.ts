import * as os from 'node:os';
import * as path from 'node:path';
import type { EffectiveReport, SingleKey, Sourced } from '../report';
import { compareVersions } from '../version';
import type { PantsFile, PantsOptions } from './files';
import type { TomlDocument, TomlEntry, TomlValue } from './toml-scan';

/** Pants option names for each single-valued setting, newest first. */
export const PANTS_OPTIONS: Partial<Record<SingleKey, string[]>> = {
  executor: ['remote_execution_address', 'remote_execution_server'],
  cache: ['remote_store_address', 'remote_store_server'],
  instance: ['remote_instance_name'],
  tlsCa: ['remote_ca_certs_path'],
  tlsCert: ['remote_client_certs_path'],
  tlsKey: ['remote_client_key_path'],
  jobs: ['process_execution_remote_parallelism'],
};
export const HEADER_OPTIONS = ['remote_store_headers', 'remote_execution_headers'];
export const PLATFORM_OPTION = 'remote_execution_extra_platform_properties';

/** Pants 2.2 added the `*_address` options (with a scheme) that replaced `*_server`. */
export const ADDRESS_OPTIONS_SINCE = '2.2.0';
/** Pants 2.18 added remote_client_certs_path / remote_client_key_path (mTLS). */
export const CLIENT_CERT_OPTIONS_SINCE = '2.18.0';

export function globalEntries(doc: TomlDocument): TomlEntry[] {
  return doc.entries.filter((e) => e.table.length === 1 && e.table[0] === 'GLOBAL');
}

/** The `pants_version` a file pins in [GLOBAL], or null. */
export function pinnedVersion(doc: TomlDocument): string | null {
  const e = globalEntries(doc).find((x) => x.key.length === 1 && x.key[0] === 'pants_version');
  return e && typeof e.value === 'string' ? e.value : null;
}

/** Which generation of option names a file uses: by its pinned version, else by its keys. */
export function optionGeneration(doc: TomlDocument, version: string | null): 'old' | 'new' {
  if (version !== null) return compareVersions(version, ADDRESS_OPTIONS_SINCE) < 0 ? 'old' : 'new';
  const keys = globalEntries(doc).map((e) => e.key[0]);
  return keys.includes('remote_store_server') || keys.includes('remote_execution_server')
    ? 'old'
    : 'new';
}

/** Expands %(buildroot)s, %(homedir)s, %(env.NAME)s and %(name)s from [DEFAULT]/the section. */
export function interpolate(
  value: string,
  options: PantsOptions,
  doc: TomlDocument,
  table: string[],
): string {
  const lookup = (name: string, depth: number): string | null => {
    if (name === 'buildroot') return path.resolve(options.workspace);
    if (name === 'homedir') return options.homeDir ?? os.homedir();
    if (name.startsWith('env.')) return options.env[name.slice(4)] ?? null;
    for (const t of [table, ['DEFAULT']]) {
      const e = doc.entries.find(
        (x) => x.table.join('.') === t.join('.') && x.key.length === 1 && x.key[0] === name,
      );
      if (e && typeof e.value === 'string') {
        return depth > 5 ? e.value : expand(e.value, depth + 1);
      }
    }
    return null;
  };
  const expand = (v: string, depth: number): string =>
    v.replace(/%\(([^)]+)\)s/g, (whole, name: string) => lookup(name, depth) ?? whole);
  return expand(value, 0);
}

function interpolateValue(v: TomlValue, f: (s: string) => string): TomlValue {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => interpolateValue(x, f));
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolateValue(x, f)]));
  }
  return v;
}

interface Located {
  value: TomlValue;
  file: string;
  line: number;
}

/** An option's value after every file (and PANTS_* env var), `.add`/`.remove` applied. */
export function optionValue(
  files: PantsFile[],
  options: PantsOptions,
  name: string,
): Located | null {
  let current: Located | null = null;
  for (const f of files) {
    for (const e of globalEntries(f.doc)) {
      if (e.key[0] !== name) continue;
      const line = f.doc.text.slice(0, e.lineStart).split('\n').length;
      const value = interpolateValue(e.value, (s) => interpolate(s, options, f.doc, e.table));
      const where = { file: f.displayPath, line };
      if (e.key.length === 1) current = { value, ...where };
      else if (e.key[1] === 'add' && Array.isArray(value)) {
        const base: TomlValue[] = current && Array.isArray(current.value) ? current.value : [];
        current = { value: [...base, ...value], ...where };
      } else if (e.key[1] === 'remove' && Array.isArray(value)) {
        const base: TomlValue[] = current && Array.isArray(current.value) ? current.value : [];
        current = { value: base.filter((x) => !value.includes(x)), ...where };
      }
    }
  }
  const envName = `PANTS_${name.toUpperCase()}`;
  const env = options.env[envName];
  if (env !== undefined) current = { value: env, file: `env:${envName}`, line: 0 };
  return current;
}

function asText(v: TomlValue): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'string') return v[0];
  return null;
}

/** What Pants would use for remote caching / execution, with the file of each value. */
export function effectivePantsSettings(files: PantsFile[], options: PantsOptions): EffectiveReport {
  const report: EffectiveReport = {
    tool: 'pants',
    single: {},
    headers: {},
    platform: {},
    files: files.map((f) => f.displayPath),
    warnings: [],
  };
  for (const [key, names] of Object.entries(PANTS_OPTIONS) as [SingleKey, string[]][]) {
    for (const name of names) {
      const v = optionValue(files, options, name);
      const text = v === null ? null : asText(v.value);
      if (v && text !== null && (text !== '' || key === 'instance')) {
        report.single[key] = { value: text, file: v.file, line: v.line };
        break;
      }
    }
  }
  for (const name of HEADER_OPTIONS) {
    const v = optionValue(files, options, name);
    if (!v || typeof v.value !== 'object' || Array.isArray(v.value)) continue;
    for (const [h, hv] of Object.entries(v.value)) {
      if (typeof hv === 'string') report.headers[h] = { value: hv, file: v.file, line: v.line };
    }
  }
  // Pants sends a bearer token as the `authorization` header of every request.
  for (const name of ['remote_oauth_bearer_token', 'remote_oauth_bearer_token_path']) {
    const v = optionValue(files, options, name);
    if (v && typeof v.value === 'string' && v.value !== '') {
      report.headers.authorization = { value: v.value, file: v.file, line: v.line };
    }
  }
  const platform = optionValue(files, options, PLATFORM_OPTION);
  if (platform && Array.isArray(platform.value)) {
    for (const item of platform.value) {
      if (typeof item !== 'string' || !item.includes('=')) continue;
      const eq = item.indexOf('=');
      const s: Sourced = { value: item.slice(eq + 1), file: platform.file, line: platform.line };
      report.platform[item.slice(0, eq)] = s;
    }
  }
  const exec = optionValue(files, options, 'remote_execution');
  if (report.single.executor && exec?.value !== true && exec?.value !== 'true') {
    report.warnings.push('an execution address is set but remote_execution is not true');
  }
  return report;
}
