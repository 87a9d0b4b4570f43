// The runner's other modes on the real Bazel: socket-free (tailing --build_event_binary_file
// instead of a port) and forwarding to the user's own --bes_backend.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { InvocationSummary } from '../../src/model/types';
import { createWorkspace, requireBazel, runBazel, type Workspace } from '../helpers/bazel';
import { pollUntil } from '../helpers/poll-until';
import { parseProcessesLine } from '../helpers/processes-line';
import { rblBuildWrapper } from '../helpers/scenarios';
import { rblCommand, summaryOf } from './engine-rbl';
import { inProcessBuild } from './in-process-build';

describe('engine: socket-free and forwarding modes (real Bazel)', function () {
  this.timeout(10 * 60_000);
  let ws: Workspace;

  before(() => {
    requireBazel();
    ws = createWorkspace('engine-modes');
  });

  it('socket-free: tails the BEP binary file, same result as over BES', async () => {
    const build = inProcessBuild(
      ws,
      ['build', '--action_env=GREETING=socketfree', '//gen:all', '//env:all'],
      { socketFree: true },
    );
    const out = build.output;
    const result = await build.result;
    assert.equal(result.exitCode, 0, out.text().slice(-3000));
    assert.ok(!result.plan.argv.some((a) => a.startsWith('--bes_backend')));
    const line = parseProcessesLine(out.text());
    assert.ok(line);
    assert.deepEqual(result.summary.processes.byRunner, line.byRunner);
    assert.equal(result.summary.state, 'finished');
    assert.ok(result.summary.actions.length > 0);
  });

  it("forwards every event to the user's own --bes_backend and prints their results URL", async () => {
    const [node = process.execPath, ...args] = rblCommand();
    const backend = spawn(node, [...args, 'serve', '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    backend.stdout
      ?.setEncoding('utf8')
      .on('data', (c: string) => lines.push(...c.split('\n').filter((l) => l !== '')));
    const exited = new Promise((resolve) => backend.once('close', resolve));
    try {
      const first = await pollUntil(() => lines[0], {
        timeoutMs: 30_000,
        what: 'the backend to listen',
      });
      const { listening } = JSON.parse(first) as { listening: string };
      const run = await runBazel(
        ws,
        [
          'build',
          `--bes_backend=${listening}`,
          '--bes_results_url=https://results.example/inv/',
          '//gen:constant',
        ],
        { wrapper: rblBuildWrapper(rblCommand(), 'rbl-forward') },
      );
      assert.equal(run.exitCode, 0, run.stderr.slice(-3000));
      const ours = summaryOf(run.stdout);
      assert.match(
        run.stderr,
        new RegExp(`rbl: results: https://results\\.example/inv/${ours.invocationId}`),
      );
      await pollUntil(() => lines.length >= 2, {
        timeoutMs: 60_000,
        what: "the user's backend to finish the invocation",
      });
      const theirs = JSON.parse(lines[1] ?? '{}') as InvocationSummary;
      assert.equal(theirs.invocationId, ours.invocationId);
      assert.deepEqual(theirs.processes.bazel, ours.processes.bazel);
    } finally {
      backend.kill('SIGINT');
      await exited;
    }
  });
});
