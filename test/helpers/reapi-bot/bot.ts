// Our test worker ("bot") for a real REAPI executor. The registries ship no worker that speaks
// BuildGrid's worker protocol, so this one does: it opens a session with the Remote Workers API
// (google.devtools.remoteworkers.v1test2.Bots), takes one lease at a time, acknowledges it
// (PENDING -> ACTIVE, where the server does not hand it out ACTIVE already), runs the Action (run-action.ts) and reports the ActionResult in the lease
// (ACTIVE -> COMPLETED). BuildGrid then answers Bazel's Execute and writes the action cache.
import * as grpc from '@grpc/grpc-js';
import { build, google } from '../../../src/gen/protos';
import { CasClient } from './cas-client';
import { runAction } from './run-action';

const rw = google.devtools.remoteworkers.v1test2;
const v2 = build.bazel.remote.execution.v2;
type BotSession = google.devtools.remoteworkers.v1test2.IBotSession;
type Lease = google.devtools.remoteworkers.v1test2.ILease;

const BOTS = '/google.devtools.remoteworkers.v1test2.Bots';
const TYPE_PREFIX = 'type.googleapis.com/';
/** How long one UpdateBotSession may wait for work (the server long-polls within this). */
const POLL_MS = 5_000;

export interface BotOptions {
  /** `host:port` of the executor. */
  target: string;
  instanceName: string;
  botId: string;
  /** Parent folder for the actions' temp dirs. */
  workRoot: string;
}

export class ReapiBot {
  private readonly client: grpc.Client;
  private readonly cas: CasClient;
  private stopped = false;
  private inFlight: grpc.ClientUnaryCall | undefined;
  private loop: Promise<void> | undefined;
  /** Actions this bot ran, for tests to prove the work really came here. */
  executed = 0;
  /** The first problem that ended the loop, if any. */
  failure: Error | undefined;

  constructor(private readonly options: BotOptions) {
    this.client = new grpc.Client(options.target, grpc.credentials.createInsecure());
    this.cas = new CasClient(options.target, options.instanceName);
  }

  private call(method: string, request: Uint8Array, timeoutMs: number): Promise<BotSession> {
    return new Promise((resolve, reject) => {
      this.inFlight = this.client.makeUnaryRequest(
        `${BOTS}/${method}`,
        (b: Uint8Array) => Buffer.from(b),
        (b: Buffer) => rw.BotSession.decode(b),
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, res) => {
          this.inFlight = undefined;
          if (err) reject(err);
          else if (res) resolve(res);
          else reject(new Error(`${method}: empty reply`));
        },
      );
    });
  }

  private update(session: BotSession, leases: Lease[], timeoutMs: number): Promise<BotSession> {
    const request = rw.UpdateBotSessionRequest.encode({
      name: session.name ?? '',
      botSession: { ...session, status: rw.BotStatus.OK, leases },
    }).finish();
    return this.call('UpdateBotSession', request, timeoutMs);
  }

  /** Opens the session; the loop then runs until stop(). */
  async start(): Promise<void> {
    const request = rw.CreateBotSessionRequest.encode({
      parent: this.options.instanceName,
      botSession: {
        botId: this.options.botId,
        status: rw.BotStatus.OK,
        // BuildGrid matches platform properties against the first device's; none = empty platform.
        worker: { devices: [{ handle: this.options.botId }] },
      },
    }).finish();
    // The server long-polls for work within the deadline, so a short one keeps start-up quick.
    const session = await this.call('CreateBotSession', request, POLL_MS);
    this.loop = this.run(session).catch((err: unknown) => {
      if (!this.stopped) this.failure = err instanceof Error ? err : new Error(String(err));
    });
  }

  private async run(first: BotSession): Promise<void> {
    let session = first;
    while (!this.stopped) {
      // BuildGrid 0.9 hands new leases out already ACTIVE; older servers send PENDING first.
      const lease = (session.leases ?? []).find(
        (l) => l.state === rw.LeaseState.PENDING || l.state === rw.LeaseState.ACTIVE,
      );
      if (!lease) {
        session = await this.update(session, [], POLL_MS).catch((err: grpc.ServiceError) => {
          if (err.code === grpc.status.DEADLINE_EXCEEDED || this.stopped) return session;
          throw err;
        });
        continue;
      }
      const active: Lease = { ...lease, state: rw.LeaseState.ACTIVE };
      if (lease.state === rw.LeaseState.PENDING)
        session = await this.update(session, [active], 30_000);
      const done = await this.execute(active);
      session = await this.update(session, [done], 30_000);
    }
  }

  /** Runs the lease's action; any failure of ours becomes the lease's status, not a crash. */
  private async execute(lease: Lease): Promise<Lease> {
    try {
      const action = await this.actionOf(lease);
      const { result, timedOut } = await runAction(
        this.cas,
        action,
        this.options.botId,
        this.options.workRoot,
      );
      this.executed++;
      return {
        id: lease.id,
        state: rw.LeaseState.COMPLETED,
        status: { code: timedOut ? grpc.status.DEADLINE_EXCEEDED : grpc.status.OK },
        result: {
          type_url: `${TYPE_PREFIX}build.bazel.remote.execution.v2.ActionResult`,
          value: v2.ActionResult.encode(result).finish(),
        },
      };
    } catch (err) {
      return {
        id: lease.id,
        state: rw.LeaseState.COMPLETED,
        status: { code: grpc.status.INTERNAL, message: `test bot: ${String(err)}` },
      };
    }
  }

  /** BuildGrid packs the whole Action when it has it inline, else the Action's digest. */
  private async actionOf(lease: Lease): Promise<build.bazel.remote.execution.v2.IAction> {
    const payload = lease.payload;
    if (!payload) throw new Error('lease has no payload');
    const typeUrl = payload.type_url ?? '';
    const value = payload.value ?? new Uint8Array();
    const type = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
    if (type === 'build.bazel.remote.execution.v2.Action') return v2.Action.decode(value);
    if (type === 'build.bazel.remote.execution.v2.Digest')
      return v2.Action.decode(await this.cas.readOne(v2.Digest.decode(value)));
    throw new Error(`unknown lease payload type ${typeUrl}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.inFlight?.cancel();
    await this.loop;
    this.client.close();
    this.cas.close();
  }
}
