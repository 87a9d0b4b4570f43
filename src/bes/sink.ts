/**
 * The Build Event Service sink: a gRPC server for `PublishBuildEvent` (on our own node:http2
 * transport, ./grpc/) that Bazel uploads its events to. It acks every request in order as it
 * arrives (Bazel sends ahead and only needs the acks before the call ends), ends the call only
 * after the client half-closes, answers lifecycle calls at once, de-duplicates retried events by
 * (invocation, sequence number), keeps concurrent invocations apart, and redacts secrets before
 * anything else sees an event.
 */
import { decodeBepEvent } from '../bep/decode';
import type { BepEvent } from '../bep/types';
import type { google } from '../gen/protos';
import { Emitter } from '../util/emitter';
import { BesForwarder, parseForwardUrl } from './forward';
import {
  GrpcServer,
  type BidiCall,
  type BidiListener,
  type CallMetadata,
  type UnaryReply,
} from './grpc/server';
import { CallFailure, Status } from './grpc/status';
import { describeLifecycle, type LifecycleEvent } from './lifecycle';
export type { LifecycleEvent } from './lifecycle';
import { Redactor } from './redact';
import {
  AckEncoder,
  decodeLifecycleRequest,
  decodeStreamRequest,
  LIFECYCLE_PATH,
  STREAM_PATH,
  toNumber,
  type Decoded,
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

export class BesSink {
  readonly onEvent = new Emitter<SinkEvent>();
  /** The invocation's tool stream delivered `component_stream_finished` and half-closed. */
  readonly onStreamFinished = new Emitter<string>();
  readonly onLifecycle = new Emitter<LifecycleEvent>();
  readonly onProblem = new Emitter<SinkProblem>();
  private readonly server = new GrpcServer({ maxMessageBytes: MAX_MESSAGE_BYTES });
  private readonly invocations = new Map<string, InvocationState>();
  readonly forwarders: BesForwarder[];
  private readonly now: () => number;

  constructor(private readonly options: SinkOptions = {}) {
    this.now = options.now ?? Date.now;
    this.forwarders = (options.forward ?? []).map((url) => new BesForwarder(parseForwardUrl(url)));
    this.server.unary(LIFECYCLE_PATH, (raw, metadata) =>
      this.lifecycle(decodeLifecycleRequest(raw), metadata),
    );
    this.server.bidi(STREAM_PATH, (call) => this.stream(call));
  }

  /**
   * Listens on `host:port` (port 0 picks a free one) or `unix:PATH`; resolves with the URL to give
   * Bazel (`grpc://127.0.0.1:PORT` or `unix:PATH`).
   */
  async listen(address = '127.0.0.1:0'): Promise<string> {
    const port = await this.server.listen(address);
    if (address.startsWith('unix:')) return address;
    const host = address.slice(0, address.lastIndexOf(':'));
    return `grpc://${host}:${port ?? ''}`;
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
    await this.server.close(graceMs);
    for (const f of this.forwarders) f.close();
  }

  /** Cuts every connection at once and stops listening (used to simulate a dying sink). */
  kill(): void {
    this.server.kill();
  }

  private state(invocationId: string): InvocationState {
    let s = this.invocations.get(invocationId);
    if (!s) {
      s = { delivered: 0, streamFinished: false, announced: false, redactor: new Redactor() };
      this.invocations.set(invocationId, s);
    }
    return s;
  }

  private lifecycle(req: Decoded<LifecycleRequest>, metadata: CallMetadata): UnaryReply {
    if (!req.ok) {
      const message = `malformed PublishLifecycleEventRequest (${req.raw.length} bytes): ${req.error}`;
      this.onProblem.fire({ invocationId: null, message });
      return { code: Status.INVALID_ARGUMENT, details: message };
    }
    const ordered = req.message.buildEvent;
    const invocationId = ordered?.streamId?.invocationId || null;
    if (invocationId && !this.accepts(invocationId)) {
      return { code: Status.PERMISSION_DENIED, details: `unknown invocation ${invocationId}` };
    }
    for (const f of this.forwarders) f.lifecycle(req.raw, metadata);
    const { kind, result } = describeLifecycle(ordered?.event);
    this.onLifecycle.fire({
      invocationId,
      buildId: ordered?.streamId?.buildId ?? '',
      kind,
      result,
    });
    return { code: Status.OK };
  }

  private stream(call: BidiCall): BidiListener {
    let invocationId: string | null = null;
    let failed = false;
    const acks = new AckEncoder();
    return {
      message: (raw) => {
        if (failed) return;
        try {
          invocationId = this.request(decodeStreamRequest(raw), call, acks) ?? invocationId;
        } catch (err) {
          failed = true;
          const failure =
            err instanceof CallFailure ? err : new CallFailure(Status.INTERNAL, String(err));
          this.onProblem.fire({ invocationId, message: failure.message });
          call.finish(failure.code, failure.message);
        }
      },
      end: () => {
        if (failed) return;
        call.finish(Status.OK);
        const s = invocationId ? this.invocations.get(invocationId) : undefined;
        if (!invocationId || !s) return;
        if (s.streamFinished) {
          if (!s.announced) {
            s.announced = true;
            this.onStreamFinished.fire(invocationId);
          }
          return;
        }
        // Bazel half-closes only after component_stream_finished; a client that cancels sends
        // its half-close just before the reset. Either way the stream stopped short.
        this.wentAway(invocationId);
      },
      // A client that dies or cancels mid-stream ends the call with neither an end nor a
      // status from us: say so, so the invocation can be marked instead of "running" forever.
      cancelled: () => {
        if (failed || !invocationId) return;
        if (this.invocations.get(invocationId)?.streamFinished) return;
        this.wentAway(invocationId);
      },
    };
  }

  private wentAway(invocationId: string): void {
    const delivered = this.invocations.get(invocationId)?.delivered ?? 0;
    this.onProblem.fire({
      invocationId,
      message: `invocation ${invocationId}: the client went away mid-stream after event ${delivered}`,
    });
  }

  /** Handles one stream request; returns its invocation id. Throws CallFailure to fail the call. */
  private request(req: Decoded<StreamRequest>, call: BidiCall, acks: AckEncoder): string {
    if (!req.ok) {
      throw new CallFailure(
        Status.INVALID_ARGUMENT,
        `malformed PublishBuildToolEventStreamRequest (${req.raw.length} bytes): ${req.error}`,
      );
    }
    const ordered = req.message.orderedBuildEvent;
    const streamId = ordered?.streamId;
    const invocationId = streamId?.invocationId ?? '';
    const seq = toNumber(ordered?.sequenceNumber);
    if (!invocationId || seq <= 0) {
      throw new CallFailure(
        Status.INVALID_ARGUMENT,
        'event without invocation id or sequence number',
      );
    }
    if (!this.accepts(invocationId)) {
      throw new CallFailure(Status.PERMISSION_DENIED, `unknown invocation ${invocationId}`);
    }
    const s = this.state(invocationId);
    // Bazel numbers a stream's events 1, 2, 3...; a retry re-sends from the first unacked one
    // (duplicates, acked again). A skipped number means a lost or reordered event: refusing the
    // stream says so, where delivering on would leave a model with a silent hole.
    if (seq > s.delivered + 1) {
      throw new CallFailure(
        Status.FAILED_PRECONDITION,
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
        Status.INVALID_ARGUMENT,
        `invocation ${invocationId}, event ${seq}: unexpected type '${any.type_url}'`,
      );
    }
    let bep: BepEvent;
    try {
      bep = decodeBepEvent(any.value ?? new Uint8Array());
    } catch (err) {
      s.delivered = seq - 1;
      throw new CallFailure(
        Status.INVALID_ARGUMENT,
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
