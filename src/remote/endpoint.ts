import { InputError } from '../util/errors';

/** Where a REAPI server is, as parsed from a `--remote_cache` / `--remote_executor` style URL. */
export interface Endpoint {
  /** The address grpc-js dials: `host:port` or `unix:/path`. */
  target: string;
  /** Whether the channel uses TLS (grpcs://, https:// or a bare host:port as Bazel does). */
  tls: boolean;
  /** The URL with any user-info replaced by `***`, safe to print. */
  display: string;
  /** `user:password` from the URL, sent as HTTP basic auth (never printed). */
  basicAuth?: string;
}

const DEFAULT_PORT: Record<string, number> = { grpc: 80, grpcs: 443, http: 80, https: 443 };

/**
 * Parses an endpoint URL. Accepted: `grpc://host:port` (plain), `grpcs://host:port` (TLS),
 * `unix:///path.sock` and `unix:/path.sock` (plain, local socket), and a bare `host:port`, which
 * Bazel treats as grpcs. `http(s)://` are Bazel's HTTP cache protocol, which has no
 * GetCapabilities, so they are refused with a message saying so. Anything else is an InputError
 * naming `--endpoint`.
 */
export function parseEndpoint(raw: string, source = '--endpoint'): Endpoint {
  const text = raw.trim();
  if (text === '') throw new InputError('empty endpoint URL', source);
  if (text.startsWith('unix:')) {
    const path = text.replace(/^unix:(\/\/)?/, '');
    if (!path.startsWith('/'))
      throw new InputError(`unix socket path must be absolute in '${text}'`, source);
    return { target: `unix:${path}`, tls: false, display: `unix://${path}` };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `grpcs://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InputError(`invalid URL '${redactUserInfo(text)}'`, source);
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (scheme === 'http' || scheme === 'https')
    throw new InputError(
      `${scheme}:// is Bazel's HTTP cache protocol, which has no REAPI GetCapabilities; ` +
        'test a gRPC endpoint (grpc:// or grpcs://)',
      source,
    );
  if (scheme !== 'grpc' && scheme !== 'grpcs')
    throw new InputError(
      `unsupported scheme '${scheme}://' (expected grpc://, grpcs:// or unix://)`,
      source,
    );
  if (url.hostname === '') throw new InputError(`no host in '${redactUserInfo(text)}'`, source);
  if (url.pathname !== '' && url.pathname !== '/')
    throw new InputError(
      `unexpected path '${url.pathname}' in '${redactUserInfo(text)}' ` +
        '(the instance name goes in --instance)',
      source,
    );
  const port = url.port === '' ? DEFAULT_PORT[scheme] : Number(url.port);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const endpoint: Endpoint = {
    target: `${url.hostname}:${port}`,
    tls: scheme === 'grpcs',
    display: `${scheme}://${user !== '' || password !== '' ? '***@' : ''}${url.hostname}:${port}`,
  };
  if (user !== '' || password !== '') endpoint.basicAuth = `${user}:${password}`;
  return endpoint;
}

/** Replaces the user-info of anything URL-shaped with `***`, so secrets never reach a message. */
export function redactUserInfo(text: string): string {
  return text.replace(/(\/\/)[^/@\s]*@/g, '$1***@');
}
