// Action times from Bazel's JSON trace profile, joined to 4.x execution-log spawns by their
// progress message. The sample keeps the shape Bazel 4.2.3 writes (`traceEvents` of complete
// events, durations in microseconds); the bazel tier checks the join on a real build.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  actionTimesFromText,
  fillSpawnWallTimes,
  readActionTimes,
  type TimedSpawn,
} from '../../../src/profile/trace-profile';
import { InputError } from '../../../src/util/errors';

const SAMPLE = JSON.stringify({
  otherData: { build_id: 'x' },
  traceEvents: [
    { name: 'thread_name', ph: 'M', pid: 1, tid: 62, args: { name: 'skyframe-evaluator 0' } },
    { cat: 'action processing', name: 'Compiling cc/greet.cc', ph: 'X', ts: 1, dur: 1902971 },
    {
      cat: 'action processing',
      name: 'Executing genrule //gen:step1',
      ph: 'X',
      ts: 2,
      dur: 155744,
    },
    { cat: 'action processing', name: 'Writing file a.params', ph: 'X', ts: 3, dur: 800 },
    { cat: 'action processing', name: 'Writing file a.params', ph: 'X', ts: 4, dur: 900 },
    { cat: 'complete action execution', name: 'actuallyCompleteAction', ph: 'X', ts: 5, dur: 7 },
    { cat: 'critical path component', name: "action 'Compiling cc/greet.cc'", ph: 'X', dur: 9 },
  ],
});

function spawn(progressMessage: string | null, wallTimeMs: number | null = null): TimedSpawn {
  return { progressMessage, wallTimeMs };
}

describe('trace profile: action times', () => {
  it('keeps one time per progress message, in ms, and leaves repeated messages out', () => {
    const times = actionTimesFromText(SAMPLE, 'p.json');
    assert.deepEqual(
      [...times.byMessage],
      [
        ['Compiling cc/greet.cc', 1903],
        ['Executing genrule //gen:step1', 156],
      ],
    );
    assert.equal(times.ambiguous, 1);
  });

  it('fills only spawns without a time whose message names one action', () => {
    const spawns = [
      spawn('Compiling cc/greet.cc'),
      spawn('Executing genrule //gen:step1', 12),
      spawn('Writing file a.params'),
      spawn(null),
      spawn('Linking cc/hello'),
    ];
    assert.equal(fillSpawnWallTimes(spawns, actionTimesFromText(SAMPLE, 'p.json')), 1);
    assert.deepEqual(
      spawns.map((s) => s.wallTimeMs),
      [1903, 12, null, null, null],
    );
    // Two spawns with one message share no single time.
    const twice = [spawn('Compiling cc/greet.cc'), spawn('Compiling cc/greet.cc')];
    assert.equal(fillSpawnWallTimes(twice, actionTimesFromText(SAMPLE, 'p.json')), 0);
  });

  it('reads plain and gzip files, and names the file and offset of damage', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-profile-'));
    try {
      const plain = path.join(dir, 'p.json');
      const gz = path.join(dir, 'p.json.gz');
      fs.writeFileSync(plain, SAMPLE);
      fs.writeFileSync(gz, gzipSync(SAMPLE));
      assert.equal(readActionTimes(plain).byMessage.size, 2);
      assert.equal(readActionTimes(gz).byMessage.size, 2);
      const cut = path.join(dir, 'cut.json');
      fs.writeFileSync(cut, SAMPLE.slice(0, 120));
      assert.throws(
        () => readActionTimes(cut),
        (err: unknown) =>
          err instanceof InputError &&
          err.source === cut &&
          typeof err.offset === 'number' &&
          err.offset <= 120,
      );
      fs.writeFileSync(cut, '{"traceEvents": 3}');
      assert.throws(() => readActionTimes(cut), /no traceEvents array/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
