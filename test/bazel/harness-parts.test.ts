// The harness's plain parts (no Bazel needed): the processes-line parser, the concurrency
// limiter and the poller. They live in the bazel tier because they belong to the harness.
import { strict as assert } from 'node:assert';
import { createWorkspace, requireBazel } from '../helpers/bazel';
import { Limiter } from '../helpers/limiter';
import { pollUntil } from '../helpers/poll-until';
import { parseProcessesLine } from '../helpers/processes-line';

describe('Bazel test harness parts', () => {
  describe('parseProcessesLine', () => {
    it('reads every runner of the line, whatever its name', () => {
      const console = [
        'INFO: Elapsed time: 8.8s, Critical Path: 0.70s',
        'INFO: 27 processes: 13 remote cache hit, 9 internal, 3 linux-sandbox, 2 some-future-runner.',
        'INFO: Build completed successfully, 27 total actions',
      ].join('\n');
      assert.deepEqual(parseProcessesLine(console), {
        line: 'INFO: 27 processes: 13 remote cache hit, 9 internal, 3 linux-sandbox, 2 some-future-runner.',
        total: 27,
        byRunner: {
          'remote cache hit': 13,
          internal: 9,
          'linux-sandbox': 3,
          'some-future-runner': 2,
        },
        sum: 27,
      });
    });

    it('reads the singular form and a line without runners', () => {
      assert.deepEqual(parseProcessesLine('INFO: 1 process: 1 internal.\n')?.byRunner, {
        internal: 1,
      });
      const none = parseProcessesLine('INFO: 0 processes.\n');
      assert.equal(none?.total, 0);
      assert.deepEqual(none?.byRunner, {});
    });

    it('takes the last line, ignores colour codes, and gives null without a line', () => {
      const esc = String.fromCharCode(27);
      const text = `INFO: 2 processes: 2 internal.\n${esc}[32mINFO: ${esc}[0m5 processes: 5 local.\n`;
      assert.deepEqual(parseProcessesLine(text)?.byRunner, { local: 5 });
      assert.equal(parseProcessesLine('ERROR: no such package\n'), null);
    });

    it('refuses an item that is not "<count> <runner>"', () => {
      assert.throws(
        () => parseProcessesLine('INFO: 3 processes: three local.'),
        /unexpected item 'three local'/,
      );
    });
  });

  describe('Limiter', () => {
    it('never runs more than its limit at once and runs every task', async () => {
      const limiter = new Limiter(2);
      let running = 0;
      let peak = 0;
      const releases: Array<() => void> = [];
      const tasks = Array.from({ length: 5 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise<void>((resolve) => releases.push(resolve));
          running--;
          return i;
        }),
      );
      await pollUntil(() => releases.length === 2, { what: 'two tasks to start' });
      assert.equal(limiter.inUse, 2);
      while (releases.length > 0 || running > 0) {
        releases.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.deepEqual(await Promise.all(tasks), [0, 1, 2, 3, 4]);
      assert.equal(peak, 2);
      assert.equal(limiter.inUse, 0);
    });

    it('frees the slot of a task that fails', async () => {
      const limiter = new Limiter(1);
      await assert.rejects(
        limiter.run(() => Promise.reject(new Error('boom'))),
        /boom/,
      );
      assert.equal(await limiter.run(() => Promise.resolve('next')), 'next');
    });

    it('rejects a limit that is not a positive integer', () => {
      assert.throws(() => new Limiter(0), /positive integer/);
      assert.throws(() => new Limiter(1.5), /positive integer/);
    });
  });

  describe('requireBazel', () => {
    it('fails loudly, naming the binary and the fix, when Bazel is missing', () => {
      const saved = process.env.RBL_BAZEL;
      process.env.RBL_BAZEL = '/nonexistent/rbl-harness/bazel';
      try {
        assert.throws(
          () => requireBazel(),
          /Bazel not found \(\/nonexistent\/rbl-harness\/bazel\).*scripts\/setup\.sh/,
        );
        assert.throws(() => createWorkspace('no-bazel'), /Bazel not found/);
      } finally {
        if (saved === undefined) delete process.env.RBL_BAZEL;
        else process.env.RBL_BAZEL = saved;
      }
      assert.match(requireBazel(), /bazel$/);
    });
  });

  describe('pollUntil', () => {
    it('returns the first truthy value and times out with what it waited for', async () => {
      let calls = 0;
      assert.equal(
        await pollUntil(() => (++calls >= 3 ? 'ready' : false), { intervalMs: 1 }),
        'ready',
      );
      assert.equal(calls, 3);
      await assert.rejects(
        pollUntil(() => false, { timeoutMs: 20, intervalMs: 5, what: 'the moon' }),
        /timed out after 20 ms waiting for the moon/,
      );
    });
  });
});
