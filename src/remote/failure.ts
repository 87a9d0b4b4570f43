import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { redactUserInfo } from './endpoint';

/** The failure codes of `rbl remote test` (CONTRACT.md). */
export type FailureCode =
  | 'unavailable'
  | 'tls'
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'timeout'
  | 'unimplemented'
  | 'invalid-argument'
  | 'internal';

/** A failed connection test, in words a user can act on. */
export interface Failure {
  code: FailureCode;
  message: string;
  hint: string;
}

export interface FailureContext {
  /** The endpoint as printed (user-info already redacted). */
  display: string;
  tls: boolean;
  instanceName: string;
  hasCa: boolean;
  hasClientCert: boolean;
  /** Whether any credentials were sent: URL user-info or request headers. */
  hasAuth?: boolean;
  timeoutMs: number;
}

// What Node's TLS layer and OpenSSL say when the handshake fails: untrusted chain, wrong name,
// a TLS client talking to a plain server (wrong version number / packet length) or a server
// that wants a client certificate.
const TLS_DETAIL =
  /certificate|self[- ]signed|altnames|SSL|TLS|EPROTO|wrong version number|handshake|unable to verify|issuer/i;

/**
 * grpc-js wraps connection errors as `No connection established. Last error: Error: … Resolution
 * note: …`, and OpenSSL adds its error-stack codes and source paths; keep the words a user reads.
 */
export function cleanDetails(details: string): string {
  return details
    .replace(/^No connection established\. Last error: (Error: )?/, '')
    .replace(/\.?\s*Resolution note:.*$/s, '')
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/g, '')
    .replace(/[0-9A-F]{8,}:error:[0-9A-F]+:SSL routines:[^:]*:/g, '')
    .replace(/:[^:\s]*openssl[^:\s]*:\d+:?/g, '')
    .trim();
}

// The TCP connection worked but no HTTP/2 (gRPC) session came up: an HTTP/1 port, or a TLS
// server spoken to in plain text.
const NOT_GRPC_DETAIL = /protocol error|failed to connect|connection dropped|RST_STREAM/i;
const UNREACHABLE_DETAIL = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/;

/** Whether a failure is "connected, but not gRPC" (the connection test then probes for TLS). */
export function isNotGrpcFailure(failure: Failure): boolean {
  return (
    failure.code === 'unavailable' && / did not answer as a gRPC server: /.test(failure.message)
  );
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

/**
 * Turns whatever `getCapabilities` rejected with into a code, a plain message and a hint.
 * grpc-js reports every connection-level problem as UNAVAILABLE; the details tell a TLS
 * failure from an unreachable server.
 */
export function classifyFailure(err: unknown, ctx: FailureContext): Failure {
  if (!isServiceError(err))
    return {
      code: 'internal',
      message: `unexpected error talking to ${ctx.display}: ${redactUserInfo(String(err))}`,
      hint: 'Run again with --debug and report the output if this persists.',
    };
  const details = cleanDetails(redactUserInfo(err.details || err.message));
  const instance =
    ctx.instanceName === '' ? 'the default (empty) instance' : `'${ctx.instanceName}'`;
  switch (err.code) {
    case GrpcStatus.UNAVAILABLE:
      if (TLS_DETAIL.test(details)) return tlsFailure(details, ctx);
      if (NOT_GRPC_DETAIL.test(details) && !UNREACHABLE_DETAIL.test(details))
        return {
          code: 'unavailable',
          message: `${ctx.display} accepted the connection but did not answer as a gRPC server: ${details}`,
          hint: ctx.tls
            ? 'Check the port: it may be an HTTP port (e.g. bazel-remote --http_address) rather than the gRPC one.'
            : 'Check the port and the scheme: it may be an HTTP port (e.g. bazel-remote --http_address), or a TLS server (use grpcs://).',
        };
      return {
        code: 'unavailable',
        message: `cannot reach ${ctx.display}: ${details}`,
        hint: 'Check that the server is running and that host and port are right (is it listening on this address, is a firewall in the way?).',
      };
    case GrpcStatus.DEADLINE_EXCEEDED:
      return {
        code: 'timeout',
        message: `${ctx.display} did not answer within ${ctx.timeoutMs} ms`,
        hint: 'The server or the network is slow, or the port belongs to something that is not a gRPC server; raise --timeout-ms or check the address.',
      };
    case GrpcStatus.UNAUTHENTICATED:
      return {
        code: 'unauthenticated',
        message: `${ctx.display} refused the call as unauthenticated: ${details}`,
        hint: ctx.hasClientCert
          ? 'The server did not accept the credentials: check the client certificate was issued by the CA the server trusts, and any auth --header.'
          : ctx.hasAuth
            ? 'The server did not accept the credentials sent (user:password in the URL or an auth --header): check them.'
            : 'The server wants credentials: a client certificate (--tls-cert and --tls-key for mTLS), an auth --header, or user:password in the URL.',
      };
    case GrpcStatus.PERMISSION_DENIED:
      return {
        code: 'permission-denied',
        message: `${ctx.display} denied access to ${instance}: ${details}`,
        hint: 'The credentials are valid but not allowed here: check the instance name and the rights of the key or certificate.',
      };
    case GrpcStatus.NOT_FOUND:
      return {
        code: 'not-found',
        message: `${ctx.display} does not know instance ${instance}: ${details}`,
        hint: 'Check --instance: it must be an instance name the server is configured with.',
      };
    case GrpcStatus.INVALID_ARGUMENT:
      return {
        code: 'invalid-argument',
        message: `${ctx.display} rejected the request: ${details}`,
        hint: 'Usually the instance name is unknown or malformed: check --instance.',
      };
    case GrpcStatus.UNIMPLEMENTED:
      return {
        code: 'unimplemented',
        message: `${ctx.display} does not offer the REAPI Capabilities service: ${details}`,
        hint: 'This is not a REAPI server (or not its gRPC port): check the port, e.g. it may be an HTTP cache port or a Build Event Service.',
      };
    default:
      return {
        code: 'internal',
        message: `${ctx.display} failed the call (${GrpcStatus[err.code] ?? err.code}): ${details}`,
        hint: 'The server reported an internal problem; see its logs.',
      };
  }
}

function tlsFailure(details: string, ctx: FailureContext): Failure {
  const message = `TLS handshake with ${ctx.display} failed: ${details}`;
  if (!ctx.tls)
    return {
      code: 'tls',
      message,
      hint: 'The server speaks TLS: use grpcs:// with --tls-ca.',
    };
  if (/wrong version number|packet length|record layer/i.test(details))
    return {
      code: 'tls',
      message,
      hint: 'The server does not speak TLS on this port: use grpc:// instead of grpcs://.',
    };
  if (/altnames|hostname|does not match/i.test(details))
    return {
      code: 'tls',
      message,
      hint: "The server certificate is not valid for this host name: connect with a name in the certificate's subject alternative names.",
    };
  if (/certificate required|alert.*certificate|bad certificate/i.test(details))
    return {
      code: 'tls',
      message,
      hint: ctx.hasClientCert
        ? 'The server rejected the client certificate: it must be issued by a CA the server trusts.'
        : 'The server requires a client certificate: pass --tls-cert and --tls-key (mTLS).',
    };
  return {
    code: 'tls',
    message,
    hint: ctx.hasCa
      ? 'The server certificate is not signed by the CA in --tls-ca: pass the CA that issued it.'
      : "The server certificate is not trusted by the system's CAs: pass the issuing CA with --tls-ca.",
  };
}
