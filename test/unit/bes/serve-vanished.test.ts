// Issue 10: a BES client that vanishes mid-stream (Bazel's server killed, a dropped connection)
// must not leave its invocation "running" for ever in `rbl serve`: unless the stream comes back
// (Bazel retries), the invocation is "interrupted" within 5 s and its summary line says why; a
// stream beside it finishes normally.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { InvocationSummary } from '../../../src/model/types';
import { fixturesDir } from '../model/shared-fixtures';
import { BesTestClient, bepRecords, fullStream } from './bes-client';

const MAIN = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');

describe('rbl serve: a client that vanishes mid-stream', function () {
  this.timeout(60_000);
  let serve: ChildProcess;
  const lines: string[] = [];
  let stderr = '';
  let client: BesTestClient;

  before(async () => {
    serve = spawn(process.execPath, [MAIN, 'serve', '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    serve.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    serve.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const listening = await waitFor(() => lines[0], 20_000, 'rbl serve to listen');
    client = new BesTestClient((JSON.parse(listening) as { listening: string }).listening);
  });

  after(() => {
    client?.close();
    serve?.kill('SIGTERM');
  });

  it('ends the invocation within 5 s with the reason, while another stream finishes', async () => {
    const records = bepRecords(path.join(fixturesDir(), '01-clean-build', 'bep.bin'));
    const vanished = { buildId: 'build-v', invocationId: 'inv-vanished' };
    const good = { buildId: 'build-g', invocationId: 'inv-good' };
    const [cut, whole] = await Promise.all([
      // The first events only (no end of stream), then the call is cancelled.
      client.stream(fullStream(vanished, records).slice(0, 10), { cancelAfterAcks: 10 }),
      client.stream(fullStream(good, records)),
    ]);
    const cutAt = Date.now();
    assert.equal(whole.status.code, 0, whole.status.details);
    assert.equal(cut.acks.length, 10);
    const summaryOf = (id: string) => (): InvocationSummary | undefined =>
      lines
        .slice(1)
        .map((l) => JSON.parse(l) as InvocationSummary)
        .find((s) => s.invocationId === id);
    const ended = await waitFor(
      summaryOf(vanished.invocationId),
      5000,
      () => `the vanished invocation to end; rbl serve said: ${stderr || 'nothing'}`,
    );
    console.log(
      `      the vanished invocation ended ${Date.now() - cutAt} ms after the client went away`,
    );
    assert.equal(ended.state, 'interrupted');
    assert.match(ended.besError?.message ?? '', /went away mid-stream/);
    const finished = await waitFor(summaryOf(good.invocationId), 5000, 'the good invocation');
    assert.equal(finished.state, 'finished');
    assert.equal(finished.besError, null);
  });
});

async function waitFor<T>(
  get: () => T | undefined,
  timeoutMs: number,
  what: string | (() => string),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
