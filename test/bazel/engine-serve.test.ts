// `rbl serve` as the BES backend of several real Bazel builds running at once: none reports an
// upload problem, and each finished invocation gets one JSON summary line whose derived
// processes line equals what that build's Bazel printed.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { createWorkspace, requireBazel, runBazel, type Workspace } from '../helpers/bazel';
import { pollUntil } from '../helpers/poll-until';
import { parseProcessesLine } from '../helpers/processes-line';
import type { InvocationSummary } from '../../src/model/types';
import { rblCommand } from './engine-rbl';

/** Builds at once in the default suite; RBL_SERVE_BUILDS=10 for the long variant. */
const BUILDS = Number(process.env.RBL_SERVE_BUILDS ?? 4);

interface Serve {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

function startServe(): Serve {
  const [node = process.execPath, ...args] = rblCommand();
  const child = spawn(node, [...args, 'serve', '--listen', '127.0.0.1:0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    const parts = (partial + c).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return { child, lines, stderr: () => err, exited };
}

describe('engine: rbl serve with concurrent real builds', function () {
  this.timeout(20 * 60_000);
  let serve: Serve;
  const workspaces: Workspace[] = [];

  before(() => {
    requireBazel();
    for (let i = 0; i < BUILDS; i++) workspaces.push(createWorkspace(`engine-serve-${i}`));
    serve = startServe();
  });

  after(async () => {
    if (serve.child.exitCode === null) serve.child.kill('SIGTERM');
    await serve.exited;
  });

  it(`${BUILDS} invocations at once: no upload problem, one summary line each, byRunner = Bazel's line`, async () => {
    const first = await pollUntil(() => serve.lines[0], {
      timeoutMs: 30_000,
      what: 'rbl serve to print where it listens',
    });
    const { listening } = JSON.parse(first) as { listening: string };
    assert.match(listening, /^grpc:\/\/127\.0\.0\.1:\d+$/);
    const ids = workspaces.map(() => randomUUID());
    const runs = await Promise.all(
      workspaces.map((ws, i) =>
        runBazel(ws, [
          'build',
          `--invocation_id=${ids[i]}`,
          `--bes_backend=${listening}`,
          '--bes_timeout=60s',
          '--build_event_publish_all_actions',
          `--execution_log_binary_file=${path.join(ws.dir, 'exec.log.bin')}`,
          '//gen:all',
          '//env:all',
        ]),
      ),
    );
    for (const run of runs) {
      assert.equal(run.exitCode, 0, run.stderr.slice(-3000));
      assert.doesNotMatch(run.stderr, /Build Event Protocol upload/);
    }
    await pollUntil(() => serve.lines.length >= BUILDS + 1, {
      timeoutMs: 60_000,
      what: 'a summary line per build',
    });
    const summaries = serve.lines.slice(1).map((l) => JSON.parse(l) as InvocationSummary);
    for (const run of runs) {
      const id = ids[runs.indexOf(run)];
      const summary = summaries.find((s) => s.invocationId === id);
      assert.ok(summary, `a summary for ${id}`);
      const line = parseProcessesLine(run.stderr);
      assert.ok(line);
      assert.deepEqual(summary.processes.byRunner, line.byRunner);
      assert.equal(summary.exitCode, 0);
      assert.ok(Array.isArray(summary.actions) && summary.actions.length > 0);
    }
    serve.child.kill('SIGINT');
    assert.equal(await serve.exited, 0, serve.stderr());
  });
});
