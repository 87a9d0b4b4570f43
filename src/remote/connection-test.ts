import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { InputError } from '../util/errors';
import { getCapabilities } from './capabilities-client';
import { parseEndpoint } from './endpoint';
import { classifyFailure, isNotGrpcFailure, type Failure } from './failure';
import { speaksTls } from './tls-probe';
import { summarizeCapabilities, type CapabilitiesSummary } from './summarize-capabilities';

export interface ConnectionTestOptions {
  endpoint: string;
  instanceName?: string;
  /** PEM file of the CA that signed the server certificate; system CAs when absent. */
  tlsCa?: string;
  /** PEM client certificate and key, for mTLS. Both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** Extra request metadata, e.g. `x-api-key`. Values are secrets and never printed. */
  headers?: Array<{ name: string; value: string }>;
  timeoutMs?: number;
  /** Fail (cache-only server) unless the server also executes actions. */
  requireExecution?: boolean;
}

export type ConnectionTestResult =
  | ({ ok: true; endpoint: string; instance: string } & CapabilitiesSummary)
  | ({
      ok: false;
      endpoint: string;
      instance: string;
      error: Failure;
    } & Partial<CapabilitiesSummary>);

export const DEFAULT_TIMEOUT_MS = 10_000;

function readPem(path: string, what: string): Buffer {
  let data: Buffer;
  try {
    data = fs.readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(`cannot read ${what} (${reason})`, path);
  }
  if (!data.includes('-----BEGIN ')) throw new InputError(`${what} is not a PEM file`, path, 0);
  return data;
}

function credentialsFor(tls: boolean, opts: ConnectionTestOptions): grpc.ChannelCredentials {
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined))
    throw new InputError('--tls-cert and --tls-key go together (mTLS needs both)');
  if (!tls) {
    if (opts.tlsCa !== undefined || opts.tlsCert !== undefined)
      throw new InputError('TLS options given for a plain endpoint: use grpcs:// to use TLS');
    return grpc.credentials.createInsecure();
  }
  const ca = opts.tlsCa !== undefined ? readPem(opts.tlsCa, 'TLS CA certificate') : null;
  const cert = opts.tlsCert !== undefined ? readPem(opts.tlsCert, 'TLS client certificate') : null;
  const key = opts.tlsKey !== undefined ? readPem(opts.tlsKey, 'TLS client key') : null;
  try {
    return grpc.credentials.createSsl(ca, key, cert);
  } catch {
    // The library's message may quote key material; name the files only.
    throw new InputError('cannot use the TLS files given (is the key the one of the certificate?)');
  }
}

function metadataFor(headers: ConnectionTestOptions['headers'], basicAuth?: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (basicAuth !== undefined)
    metadata.set('authorization', `Basic ${Buffer.from(basicAuth).toString('base64')}`);
  for (const { name, value } of headers ?? []) {
    try {
      metadata.add(name.toLowerCase(), value);
    } catch {
      throw new InputError(`invalid header name '${name}'`, '--header');
    }
  }
  return metadata;
}

/**
 * The connection test: REAPI `GetCapabilities` against the endpoint with the instance name,
 * TLS and headers given, summarised, or the failure explained. Bad input (URL, files, options)
 * throws InputError; everything the server or network does becomes `ok: false`.
 */
export async function testConnection(opts: ConnectionTestOptions): Promise<ConnectionTestResult> {
  const endpoint = parseEndpoint(opts.endpoint);
  const instance = opts.instanceName ?? '';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const credentials = credentialsFor(endpoint.tls, opts);
  const metadata = metadataFor(opts.headers, endpoint.basicAuth);
  let summary: CapabilitiesSummary;
  try {
    summary = summarizeCapabilities(
      await getCapabilities({
        target: endpoint.target,
        credentials,
        metadata,
        instanceName: instance,
        timeoutMs,
      }),
    );
  } catch (err) {
    let error = classifyFailure(err, {
      display: endpoint.display,
      tls: endpoint.tls,
      instanceName: instance,
      hasCa: opts.tlsCa !== undefined,
      hasClientCert: opts.tlsCert !== undefined,
      hasAuth: endpoint.basicAuth !== undefined || (opts.headers ?? []).length > 0,
      timeoutMs,
    });
    // A plain-text call to a TLS port looks like any non-gRPC port; one TLS handshake tells.
    if (!endpoint.tls && isNotGrpcFailure(error) && (await speaksTls(endpoint.target, timeoutMs)))
      error = {
        code: 'tls',
        message: `${endpoint.display} speaks TLS, but the endpoint says plain grpc://`,
        hint: 'Use grpcs:// (with --tls-ca when the server certificate comes from a private CA).',
      };
    return { ok: false, endpoint: endpoint.display, instance, error };
  }
  if (opts.requireExecution && !summary.execution)
    return {
      ok: false,
      endpoint: endpoint.display,
      instance,
      ...summary,
      error: {
        code: 'unimplemented',
        message: `${endpoint.display} is a cache-only server: it offers no remote execution`,
        hint: 'Use it as --remote_cache, or point --remote_executor at an execution service.',
      },
    };
  return { ok: true, endpoint: endpoint.display, instance, ...summary };
}
