import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlags } from '../args';
import type { Command } from '../command';
import { say, type CliIO } from '../io';
import { BesSink } from '../../bes/sink';
import { parseForwardUrl } from '../../bes/forward';
import { readExecLogFile } from '../../execlog';
import { BuildModel } from '../../model/build-model';
import type { InvocationSummary } from '../../model/types';
import { UsageError } from '../../util/errors';

const HELP = `Usage: rbl serve --listen HOST:PORT | unix:PATH [--forward URL]... [--json]

Runs the Build Event Service sink on its own, for a terminal or CI:
  bazel build --bes_backend=grpc://127.0.0.1:PORT --build_event_publish_all_actions //...

Prints {"listening":"grpc://HOST:PORT"} (or {"listening":"unix:PATH"}) as its first stdout line,
then one JSON summary line per finished invocation (the schema of rbl build --json). "actions"
is present only when the execution log is available: rbl serve reads the log the build's own
options name (--execution_log_binary_file / _json_file / _compact_file) once the event stream
ends. Debian's Bazel 4.2.3 cannot use unix sockets (it exits 36): listen on 127.0.0.1 there.
Port 0 picks a free port.

Options:
  --listen ADDR     HOST:PORT or unix:PATH (required)
  --forward URL     also send every event to this BES backend (repeatable; grpc:// is
                    plaintext, grpcs:// or no scheme TLS)
  --json            accepted for symmetry: stdout is JSON lines either way

Secrets in events are redacted on arrival. Stops cleanly on SIGINT or SIGTERM (exit 0).
`;

const EXEC_LOG_FLAGS = [
  'execution_log_compact_file',
  'experimental_execution_log_compact_file',
  'execution_log_binary_file',
  'execution_log_json_file',
];

function execLogOf(options: [string, string][], cwd: string | null): string | null {
  for (const flag of EXEC_LOG_FLAGS) {
    const value = options.filter(([n]) => n === flag).pop()?.[1];
    if (value) return path.resolve(cwd ?? '/', value);
  }
  return null;
}

/** Bazel finishes the log within moments of the stream's end; wait until its size settles. */
async function settledLog(file: string): Promise<string | null> {
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 50 && stable < 5; i++) {
    const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? -1;
    stable = size >= 0 && size === last ? stable + 1 : 0;
    last = size;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last >= 0 ? file : null;
}

function checkListen(address: string): void {
  if (address.startsWith('unix:')) {
    if (address.length <= 5) throw new UsageError('--listen: unix: needs a socket path');
    return;
  }
  const m = /^(.+):(\d+)$/.exec(address);
  if (!m || Number(m[2]) > 65535)
    throw new UsageError(`--listen: expected HOST:PORT or unix:PATH, got '${address}'`);
}

async function finish(
  model: BuildModel,
  id: string,
  io: CliIO,
  /** False when the stream broke: the build may still be writing its log, or never will. */
  readLog = true,
): Promise<void> {
  const inv = model.invocation(id);
  if (!inv) return;
  const log = readLog ? execLogOf(inv.options, inv.workspaceDirectory) : null;
  const file = log ? await settledLog(log) : null;
  if (file) {
    try {
      const read = await readExecLogFile(file);
      model.applyExecLog(id, read.spawns);
    } catch {
      model.execLogUnavailable(id, `cannot read ${file}`);
    }
  } else model.execLogUnavailable(id, 'the build wrote no execution log');
  model.endInvocation(id, null);
  const summary = model.summary(id);
  if (summary) {
    const out: Partial<InvocationSummary> = { ...summary };
    if (model.invocation(id)?.execLog !== 'joined') delete out.actions;
    io.stdout.write(`${JSON.stringify(out)}\n`);
  }
  model.forget(id);
}

/**
 * How long a stream that failed or whose client went away may take to come back (Bazel
 * retries a broken stream) before its invocation is ended, so it is not "running" forever.
 */
const RESUME_GRACE_MS = 3000;

/** Ends a running invocation whose stream broke, unless events arrive again within the grace. */
function endUnlessResumed(
  model: BuildModel,
  id: string,
  problem: string,
  lastEventAt: Map<string, number>,
  end: (id: string, readLog: boolean) => void,
): void {
  const noted = Date.now();
  setTimeout(() => {
    if (model.invocation(id)?.state !== 'running' || (lastEventAt.get(id) ?? 0) > noted) return;
    model.streamLost(id, problem);
    end(id, false);
  }, RESUME_GRACE_MS).unref();
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    listen: { type: 'string' },
    forward: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw new UsageError(`rbl serve: unexpected argument '${positionals[0]}'`);
  const listen = values.listen;
  if (!listen) throw new UsageError('rbl serve: --listen HOST:PORT or unix:PATH is required');
  checkListen(listen);
  const forward = values.forward ?? [];
  forward.forEach(parseForwardUrl);
  const sink = new BesSink({ forward });
  const model = new BuildModel();
  const lastEventAt = new Map<string, number>();
  sink.onEvent.event((e) => {
    lastEventAt.set(e.invocationId, Date.now());
    model.applyEvent(e.invocationId, e.event, e.receivedAt);
  });
  const pending = new Set<Promise<void>>();
  const end = (id: string, readLog = true): void => {
    lastEventAt.delete(id);
    const p = finish(model, id, io, readLog).finally(() => pending.delete(p));
    pending.add(p);
  };
  sink.onProblem.event((p) => {
    say(io, `${p.invocationId ? `invocation ${p.invocationId}: ` : ''}${p.message}`);
    if (p.invocationId) endUnlessResumed(model, p.invocationId, p.message, lastEventAt, end);
  });
  sink.onStreamFinished.event((id) => end(id));
  let address: string;
  try {
    address = await sink.listen(listen);
  } catch (err) {
    throw new UsageError(`--listen ${listen}: ${err instanceof Error ? err.message : String(err)}`);
  }
  io.stdout.write(`${JSON.stringify({ listening: address })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all([...pending]);
  await sink.close();
  for (const f of sink.forwarders) for (const e of f.errors) say(io, `warning: ${e}`);
  model.dispose();
  return 0;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Build Event Service sink on its own (bazel --bes_backend=...)',
  help: HELP,
  run,
};
