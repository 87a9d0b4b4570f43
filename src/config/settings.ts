import { InputError } from '../util/errors';

/** The build tools whose remote settings we read and edit. */
export type Tool = 'bazel' | 'pants' | 'buck2';
export const TOOLS: readonly Tool[] = ['bazel', 'pants', 'buck2'];

export type DownloadMode = 'minimal' | 'toplevel' | 'all';

/**
 * What remote caching / execution needs, independent of the tool. Every field is optional:
 * `set` changes only the fields given. Header values are secrets and only ever written to a
 * secrets file (see docs/REMOTE-SETTINGS.md). Without `executor` the setup is cache-only.
 */
export interface RemoteSettings {
  executor?: string;
  cache?: string;
  instance?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  headers?: Record<string, string>;
  platform?: Record<string, string>;
  jobs?: number;
  downloadMode?: DownloadMode;
  besBackend?: string;
}

export type SettingName = keyof RemoteSettings;

export const SETTING_NAMES: readonly SettingName[] = [
  'executor',
  'cache',
  'instance',
  'tlsCa',
  'tlsCert',
  'tlsKey',
  'headers',
  'platform',
  'jobs',
  'downloadMode',
  'besBackend',
];

/** The CLI flag that sets each setting, for error messages. */
export const SETTING_FLAGS: Record<SettingName, string> = {
  executor: '--executor',
  cache: '--cache',
  instance: '--instance',
  tlsCa: '--tls-ca',
  tlsCert: '--tls-cert',
  tlsKey: '--tls-key',
  headers: '--header',
  platform: '--platform',
  jobs: '--jobs',
  downloadMode: '--download',
  besBackend: '--bes-backend',
};

/**
 * Where each tool keeps each setting, or null when the tool cannot express it. This table is
 * the source of docs/REMOTE-SETTINGS.md; keep the two in step.
 */
export const SUPPORT: Record<Tool, Record<SettingName, string | null>> = {
  bazel: {
    executor: '--remote_executor',
    cache: '--remote_cache',
    instance: '--remote_instance_name',
    tlsCa: '--tls_certificate',
    tlsCert: '--tls_client_certificate',
    tlsKey: '--tls_client_key',
    headers: '--remote_header (secrets file)',
    platform: '--remote_default_exec_properties',
    jobs: '--jobs',
    downloadMode: '--remote_download_minimal / _toplevel / --remote_download_outputs=all',
    besBackend: '--bes_backend',
  },
  pants: {
    executor: 'remote_execution_address (remote_execution_server before 2.2)',
    cache: 'remote_store_address (remote_store_server before 2.2)',
    instance: 'remote_instance_name',
    tlsCa: 'remote_ca_certs_path',
    tlsCert: 'remote_client_certs_path (Pants 2.18+)',
    tlsKey: 'remote_client_key_path (Pants 2.18+)',
    headers: 'remote_store_headers + remote_execution_headers (.pants.rc)',
    platform: 'remote_execution_extra_platform_properties',
    jobs: 'process_execution_remote_parallelism',
    downloadMode: null,
    besBackend: null,
  },
  buck2: {
    executor: '[buck2_re_client] engine_address',
    cache: '[buck2_re_client] action_cache_address + cas_address',
    instance: '[buck2_re_client] instance_name',
    tlsCa: '[buck2_re_client] tls_ca_certs',
    tlsCert: '[buck2_re_client] tls_client_cert (certificate and key in one PEM)',
    tlsKey: null,
    headers: '[buck2_re_client] http_headers (.buckconfig.local)',
    platform: null,
    jobs: null,
    downloadMode: null,
    besBackend: null,
  },
};

/** Throws an InputError naming the first requested setting the tool cannot express. */
export function checkSupported(tool: Tool, settings: RemoteSettings): void {
  for (const name of SETTING_NAMES) {
    if (settings[name] === undefined) continue;
    if (SUPPORT[tool][name] === null) {
      throw new InputError(
        `${tool} has no setting for ${SETTING_FLAGS[name]} (see docs/REMOTE-SETTINGS.md)`,
        SETTING_FLAGS[name],
      );
    }
  }
}

const URL_SCHEMES = ['grpc:', 'grpcs:', 'http:', 'https:', 'unix:'];

/** Checks an endpoint argument: a URL with a scheme a remote client speaks. */
export function checkEndpoint(flag: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `invalid URL '${redactUrl(value)}' (expected e.g. grpcs://host:443)`,
      flag,
    );
  }
  if (!URL_SCHEMES.includes(url.protocol)) {
    throw new InputError(
      `unsupported URL scheme '${url.protocol}' (expected grpc, grpcs, http, https or unix)`,
      flag,
    );
  }
  if (url.protocol !== 'unix:' && url.hostname === '') {
    throw new InputError(`URL '${redactUrl(value)}' has no host`, flag);
  }
}

/** Replaces the user-info part of a URL (`user:token@`) with `***`, so it can be printed. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}
