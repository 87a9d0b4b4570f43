/**
 * The Build Event Service sink: a grpc-js server for `PublishBuildEvent` that Bazel uploads its
 * events to. It acks every request in order as it arrives (Bazel sends ahead and only needs the
 * acks before the call ends), ends the call only after the client half-closes, answers lifecycle
 * calls at once, de-duplicates retried events by (invocation, sequence number), keeps concurrent
 * invocations apart, and redacts secrets before anything else sees an event.
 */
import * as grpc from '@grpc/grpc-js';
import { decodeBepEvent } from '../bep/decode';
import type { BepEvent } from '../bep/types';
import type { google } from '../gen/protos';
import { Emitter } from '../util/emitter';
import { BesForwarder, parseForwardUrl } from './forward';
import { describeLifecycle, type LifecycleEvent } from './lifecycle';
export type { LifecycleEvent } from './lifecycle';
import { Redactor } from './redact';
import {
  AckEncoder,
  publishBuildEventServer,
  toNumber,
  type Decoded,
  type IStreamResponse,
  type LifecycleRequest,
  type StreamRequest,
} from './service';

/**
 * BEP events can be large (a NamedSetOfFiles of a big target, a long progress chunk); Bazel
 * itself puts no limit on them, so the sink accepts up to 256 MiB per message.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const BEP_TYPE_URL = 'type.googleapis.com/build_event_stream.BuildEvent';

export interface SinkOptions {
  /** When given, only invocations it accepts may publish (others: PERMISSION_DENIED). */
  acceptInvocation?: (invocationId: string) => boolean;
  /** BES backends every event is re-sent to. */
  forward?: string[];
  /** Epoch-ms clock for arrival times (tests). */
  now?: () => number;
}

export interface SinkEvent {
  invocationId: string;
  buildId: string;
  sequence: number;
  /** Redacted. */
  event: BepEvent;
  /** Epoch ms when the sink received it. */
  receivedAt: number;
}

export interface SinkProblem {
  invocationId: string | null;
  message: string;
}

interface InvocationState {
  delivered: number;
  streamFinished: boolean;
  /** onStreamFinished fired (a retried stream must not announce the end twice). */
  announced: boolean;
  redactor: Redactor;
}

class CallFailure extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

export class BesSink {
  readonly onEvent = new Emitter<SinkEvent>();
  /** The invocation's tool stream delivered `component_stream_finished` and half-closed. */
  readonly onStreamFinished = new Emitter<string>();
  readonly onLifecycle = new Emitter<LifecycleEvent>();
  readonly onProblem = new Emitter<SinkProblem>();
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    // Channelz stays on (the default), although it stamps Date.now() on every message: with it
    // off, grpc-js 1.x does not track sessions, so forceShutdown() (kill) leaves the clients'
    // connections open and Bazel never learns that the sink went away.
  });
  private readonly invocations = new Map<string, InvocationState>();
  readonly forwarders: BesForwarder[];
  private readonly now: () => number;

  constructor(private readonly options: SinkOptions = {}) {
    this.now = options.now ?? Date.now;
    this.forwarders = (options.forward ?? []).map((url) => new BesForwarder(parseForwardUrl(url)));
    this.server.addService(publishBuildEventServer, {
      PublishLifecycleEvent: (
        call: grpc.ServerUnaryCall<Decoded<LifecycleRequest>, Record<string, never>>,
        callback: grpc.sendUnaryData<Record<string, never>>,
      ) => this.lifecycle(call, callback),
      PublishBuildToolEventStream: (
        call: grpc.ServerDuplexStream<Decoded<StreamRequest>, IStreamResponse | Buffer>,
      ) => this.stream(call),
    });
  }

  /**
   * Listens on `host:port` (port 0 picks a free one) or `unix:PATH`; resolves with the URL to give
   * Bazel (`grpc://127.0.0.1:PORT` or `unix:PATH`).
   */
  listen(address = '127.0.0.1:0'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) return reject(err);
        if (address.startsWith('unix:')) return resolve(address);
        const host = address.slice(0, address.lastIndexOf(':'));
        resolve(`grpc://${host}:${port}`);
      });
    });
  }

  /** Re-sends every later event to another BES backend too (the user's own `--bes_backend`). */
  addForward(url: string): BesForwarder {
    const forwarder = new BesForwarder(parseForwardUrl(url));
    this.forwarders.push(forwarder);
    return forwarder;
  }

  /** The redactor of an invocation (the runner masks the console with the same secrets). */
  redactorFor(invocationId: string): Redactor {
    return this.state(invocationId).redactor;
  }

  /** Waits for forwarders, then stops; open calls are cut after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    await Promise.all(this.forwarders.map((f) => f.drain(graceMs * 5)));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    for (const f of this.forwarders) f.close();
  }

  /** Cuts every connection at once (used to simulate a dying sink). */
  kill(): void {
    this.server.forceShutdown();
  }

  private state(invocationId: string): InvocationState {
    let s = this.invocations.get(invocationId);
    if (!s) {
      s = { delivered: 0, streamFinished: false, announced: false, redactor: new Redactor() };
      this.invocations.set(invocationId, s);
    }
    return s;
  }

  private lifecycle(
    call: grpc.ServerUnaryCall<Decoded<LifecycleRequest>, Record<string, never>>,
    callback: grpc.sendUnaryData<Record<string, never>>,
  ): void {
    const req = call.request;
    if (!req.ok) {
      const message = `malformed PublishLifecycleEventRequest (${req.raw.length} bytes): ${req.error}`;
      this.onProblem.fire({ invocationId: null, message });
      return callback({ code: grpc.status.INVALID_ARGUMENT, details: message });
    }
    const ordered = req.message.buildEvent;
    const invocationId = ordered?.streamId?.invocationId || null;
    if (invocationId && !this.accepts(invocationId)) {
      return callback({
        code: grpc.status.PERMISSION_DENIED,
        details: `unknown invocation ${invocationId}`,
      });
    }
    callback(null, {});
    for (const f of this.forwarders) f.lifecycle(req.raw, call.metadata);
    const ev = ordered?.event;
    const { kind, result } = describeLifecycle(ev);
    this.onLifecycle.fire({
      invocationId,
      buildId: ordered?.streamId?.buildId ?? '',
      kind,
      result,
    });
  }

  private stream(
    call: grpc.ServerDuplexStream<Decoded<StreamRequest>, IStreamResponse | Buffer>,
  ): void {
    let invocationId: string | null = null;
    let failed = false;
    const acks = new AckEncoder();
    call.on('data', (req: Decoded<StreamRequest>) => {
      if (failed) return;
      try {
        invocationId = this.request(req, call, acks) ?? invocationId;
      } catch (err) {
        failed = true;
        const failure =
          err instanceof CallFailure ? err : new CallFailure(grpc.status.INTERNAL, String(err));
        this.onProblem.fire({ invocationId, message: failure.message });
        call.emit('error', { code: failure.code, details: failure.message });
      }
    });
    call.on('end', () => {
      if (failed) return;
      call.end();
      const s = invocationId ? this.invocations.get(invocationId) : undefined;
      if (invocationId && s?.streamFinished && !s.announced) {
        s.announced = true;
        this.onStreamFinished.fire(invocationId);
      }
    });
    call.on('error', () => undefined);
    // A client that dies or cancels mid-stream ends the call with neither an end nor an error
    // from us: say so, so the invocation can be marked instead of "running" forever.
    call.on('cancelled', () => {
      if (failed || !invocationId) return;
      const s = this.invocations.get(invocationId);
      if (s?.streamFinished) return;
      this.onProblem.fire({
        invocationId,
        message: `invocation ${invocationId}: the client went away mid-stream after event ${s?.delivered ?? 0}`,
      });
    });
  }

  /** Handles one stream request; returns its invocation id. Throws CallFailure to fail the call. */
  private request(
    req: Decoded<StreamRequest>,
    call: grpc.ServerDuplexStream<Decoded<StreamRequest>, IStreamResponse | Buffer>,
    acks: AckEncoder,
  ): string {
    if (!req.ok) {
      throw new CallFailure(
        grpc.status.INVALID_ARGUMENT,
        `malformed PublishBuildToolEventStreamRequest (${req.raw.length} bytes): ${req.error}`,
      );
    }
    const ordered = req.message.orderedBuildEvent;
    const streamId = ordered?.streamId;
    const invocationId = streamId?.invocationId ?? '';
    const seq = toNumber(ordered?.sequenceNumber);
    if (!invocationId || seq <= 0) {
      throw new CallFailure(
        grpc.status.INVALID_ARGUMENT,
        'event without invocation id or sequence number',
      );
    }
    if (!this.accepts(invocationId)) {
      throw new CallFailure(grpc.status.PERMISSION_DENIED, `unknown invocation ${invocationId}`);
    }
    const s = this.state(invocationId);
    // Bazel numbers a stream's events 1, 2, 3...; a retry re-sends from the first unacked one
    // (duplicates, acked again). A skipped number means a lost or reordered event: refusing the
    // stream says so, where delivering on would leave a model with a silent hole.
    if (seq > s.delivered + 1) {
      throw new CallFailure(
        grpc.status.FAILED_PRECONDITION,
        `invocation ${invocationId}: event ${seq} arrived when event ${s.delivered + 1} was due (sequence numbers must follow each other)`,
      );
    }
    if (seq > s.delivered) {
      const last = this.deliver(invocationId, streamId?.buildId ?? '', seq, ordered?.event, s);
      for (const f of this.forwarders) f.event(invocationId, seq, req.raw, call.metadata, last);
    }
    call.write(acks.encode(streamId, seq));
    return invocationId;
  }

  private deliver(
    invocationId: string,
    buildId: string,
    seq: number,
    event: google.devtools.build.v1.IBuildEvent | null | undefined,
    s: InvocationState,
  ): boolean {
    s.delivered = seq;
    if (event?.componentStreamFinished) {
      s.streamFinished = true;
      return true;
    }
    const any = event?.bazelEvent;
    if (!any) return false;
    if (any.type_url !== BEP_TYPE_URL) {
      throw new CallFailure(
        grpc.status.INVALID_ARGUMENT,
        `invocation ${invocationId}, event ${seq}: unexpected type '${any.type_url}'`,
      );
    }
    let bep: BepEvent;
    try {
      bep = decodeBepEvent(any.value ?? new Uint8Array());
    } catch (err) {
      s.delivered = seq - 1;
      throw new CallFailure(
        grpc.status.INVALID_ARGUMENT,
        `invocation ${invocationId}, event ${seq}: malformed BEP event (${any.value?.length ?? 0} bytes): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    this.onEvent.fire({
      invocationId,
      buildId,
      sequence: seq,
      event: s.redactor.event(bep),
      receivedAt: this.now(),
    });
    return false;
  }

  private accepts(invocationId: string): boolean {
    return this.options.acceptInvocation ? this.options.acceptInvocation(invocationId) : true;
  }
}
