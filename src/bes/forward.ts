/**
 * Re-sends the events the sink receives to another BES backend (the user's own `--bes_backend`
 * or `rbl serve --forward URL`). The exact bytes Bazel sent are forwarded, with the metadata Bazel
 * sent, so the other backend sees what it would have seen without us. Forwarding never slows or
 * fails the build: a backend problem is recorded and reported, not propagated to Bazel.
 */
import * as grpc from '@grpc/grpc-js';
import { UsageError } from '../util/errors';
import type { CallMetadata } from './grpc/server';
import { clientCodec, LIFECYCLE_PATH, STREAM_PATH, toNumber, type StreamResponse } from './service';

/** Metadata keys that belong to the transport, not to Bazel's request. */
const RESERVED = /^(:|grpc-|user-agent$|content-type$|te$|host$)/;

export interface ForwardTarget {
  address: string;
  secure: boolean;
  /** The URL as given, with user-info masked, for messages. */
  display: string;
}

/** `grpc://host:port` is plaintext; `grpcs://host:port` or a bare `host:port` use TLS. */
export function parseForwardUrl(url: string): ForwardTarget {
  const m = /^(?:(grpcs?):\/\/)?(?:[^@/]*@)?([^/@\s]+?)(?::(\d+))?\/?$/.exec(url);
  if (!m || (m[2] ?? '') === '')
    throw new UsageError(`--forward: invalid BES URL '${maskUserInfo(url)}'`);
  const secure = m[1] !== 'grpc';
  const port = m[3] ?? (secure ? '443' : '80');
  return { address: `${m[2]}:${port}`, secure, display: maskUserInfo(url) };
}

function maskUserInfo(url: string): string {
  return url.replace(/(:\/\/)[^/@]*@/, '$1***@');
}

/** The metadata Bazel sent with a call (as request headers), for the call to the backend. */
function copyMetadata(from: CallMetadata | undefined): grpc.Metadata {
  const md = new grpc.Metadata();
  if (!from) return md;
  for (const [key, value] of Object.entries(from)) {
    if (RESERVED.test(key)) continue;
    for (const one of typeof value === 'string' ? [value] : value) {
      // Binary values travel base64-encoded, several in one header separated by commas.
      if (key.endsWith('-bin')) {
        for (const part of one.split(',')) md.add(key, Buffer.from(part.trim(), 'base64'));
      } else md.add(key, one);
    }
  }
  return md;
}

interface ForwardStream {
  call: grpc.ClientDuplexStream<Buffer, StreamResponse>;
  lastSent: number;
  done: Promise<void>;
}

export class BesForwarder {
  private readonly client: grpc.Client;
  private readonly streams = new Map<string, ForwardStream>();
  private readonly pending = new Set<Promise<void>>();
  readonly errors: string[] = [];

  constructor(readonly target: ForwardTarget) {
    const creds = target.secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.client = new grpc.Client(target.address, creds, {
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': -1,
    });
  }

  /** Forwards one raw lifecycle request. */
  lifecycle(raw: Buffer, metadata: CallMetadata | undefined): void {
    const done = new Promise<void>((resolve) => {
      this.client.makeUnaryRequest(
        LIFECYCLE_PATH,
        clientCodec.serializeRaw,
        clientCodec.deserializeEmpty,
        raw,
        copyMetadata(metadata),
        { deadline: Date.now() + 15_000 },
        (err) => {
          if (err) this.fail(`lifecycle event: ${err.message}`);
          resolve();
        },
      );
    });
    this.track(done);
  }

  /** Forwards one raw stream request with sequence number `seq`, once per invocation. */
  event(
    invocationId: string,
    seq: number,
    raw: Buffer,
    metadata: CallMetadata | undefined,
    last: boolean,
  ): void {
    let stream = this.streams.get(invocationId);
    if (!stream) {
      stream = this.open(metadata);
      this.streams.set(invocationId, stream);
    }
    if (seq <= stream.lastSent) return;
    stream.lastSent = seq;
    stream.call.write(raw);
    if (last) stream.call.end();
  }

  /** Resolves when every forwarded call has finished (or after `timeoutMs`). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const all = Promise.all([...this.pending]).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.fail(`timed out after ${timeoutMs} ms waiting for the backend`);
        resolve();
      }, timeoutMs);
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
  }

  close(): void {
    for (const s of this.streams.values()) s.call.cancel();
    this.client.close();
  }

  private open(metadata: CallMetadata | undefined): ForwardStream {
    const call = this.client.makeBidiStreamRequest(
      STREAM_PATH,
      clientCodec.serializeRaw,
      clientCodec.deserializeAck,
      copyMetadata(metadata),
    );
    const done = new Promise<void>((resolve) => {
      call.on('data', (ack: StreamResponse) => void toNumber(ack.sequenceNumber));
      call.on('error', (err: Error) => {
        this.fail(`event stream: ${err.message}`);
        resolve();
      });
      call.on('status', () => resolve());
    });
    this.track(done);
    return { call, lastSent: 0, done };
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  }

  private fail(message: string): void {
    this.errors.push(`forwarding to ${this.target.display}: ${message}`);
  }
}
