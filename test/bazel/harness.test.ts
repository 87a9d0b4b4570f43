// Checks the Bazel test harness itself on the real Bazel: the standard scenarios recorded
// correctly, the gate holds and releases a build, wrappers see the same command line, and no
// Bazel server outlives the run. Expected counts always come from the run's own Bazel line.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs/minimal';
import { tools } from '../../src/gen/protos';
import {
  armGate,
  createWorkspace,
  describeRun,
  outputUserRoot,
  processesMentioning,
  runBazel,
  shutdownAll,
  startHeldBuild,
  type BazelWrapper,
  type Workspace,
} from '../helpers/bazel';
import {
  SCENARIO_NAMES,
  standardScenarios,
  type Scenario,
  type ScenarioSet,
} from '../helpers/scenarios';

function readSpawns(file: string): tools.protos.SpawnExec[] {
  const reader = protobuf.Reader.create(fs.readFileSync(file));
  const spawns: tools.protos.SpawnExec[] = [];
  while (reader.pos < reader.len) spawns.push(tools.protos.SpawnExec.decodeDelimited(reader));
  return spawns;
}

/**
 * Bazel 4.2.3 counts the spawns of successful actions and of test actions (a failing test's
 * action still succeeds); see ../shared/reference/bazel-4.2.3-behaviour.md §4.
 */
function countedSpawns(spawns: tools.protos.SpawnExec[]): tools.protos.SpawnExec[] {
  return spawns.filter((s) => s.exitCode === 0 || s.mnemonic === 'TestRunner');
}

function tally(spawns: tools.protos.SpawnExec[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of spawns) counts.set(s.runner, (counts.get(s.runner) ?? 0) + 1);
  return counts;
}

function bepEvents(scenario: Scenario): Array<Record<string, unknown>> {
  return fs
    .readFileSync(scenario.files.bepJson, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Bazel test harness: standard scenarios', function () {
  let set: ScenarioSet;

  before(async function () {
    // Recording takes tens of seconds; do not depend on the --timeout the run was started with.
    this.timeout(15 * 60_000);
    set = await standardScenarios();
    process.stderr.write(
      `bazel harness: recorded ${set.list.length} scenarios in ${(set.wallMs / 1000).toFixed(1)} s\n`,
    );
  });

  it('records every scenario, in order', () => {
    assert.deepEqual(
      set.list.map((s) => s.name),
      [...SCENARIO_NAMES],
    );
  });

  it('gives each scenario the exit code Bazel defines for it', () => {
    for (const s of set.list) {
      assert.equal(s.exitCode, s.expectedExitCode, `${s.name}: ${describeRun(s.run)}`);
    }
    assert.deepEqual(
      set.list.map((s) => s.exitCode),
      [0, 0, 0, 0, 0, 0, 1, 3],
    );
  });

  it("parses each scenario's processes line, whose total is the sum of its runners", () => {
    for (const s of set.list) {
      assert.ok(s.processes, `${s.name}: no processes line in\n${s.stderr}`);
      assert.ok(s.processes.total > 0, `${s.name}: ${s.processes.line}`);
      assert.equal(s.processes.sum, s.processes.total, `${s.name}: ${s.processes.line}`);
    }
  });

  it('matches every processes line with the runners of the execution log', () => {
    for (const s of set.list) {
      assert.ok(s.processes);
      const counted = countedSpawns(readSpawns(s.files.execLogBinary));
      const fromLog = tally(counted);
      for (const [runner, count] of fromLog) {
        assert.equal(
          s.processes.byRunner[runner],
          count,
          `${s.name}: runner '${runner}' in ${s.processes.line}`,
        );
      }
      // What the log does not name (Bazel's "internal") is the rest of the total.
      const rest = Object.entries(s.processes.byRunner)
        .filter(([runner]) => !fromLog.has(runner))
        .reduce((sum, [, n]) => sum + n, 0);
      assert.equal(rest, s.processes.total - counted.length, `${s.name}: ${s.processes.line}`);
    }
  });

  it('writes non-empty BEP and execution logs, except the empty logs of the no-op build', () => {
    for (const s of set.list) {
      for (const [kind, file] of Object.entries(s.files)) {
        const size = fs.statSync(file).size;
        if (s.name === 'noop' && kind.startsWith('execLog')) {
          assert.equal(size, 0, `${s.name}: ${file}`);
        } else {
          assert.ok(size > 0, `${s.name}: ${file} is empty`);
        }
      }
      assert.equal(
        bepEvents(s).length,
        readBepBinaryCount(s.files.bepBinary),
        `${s.name}: BEP twins`,
      );
    }
  });

  it('serves the build after bazel clean entirely from the disk cache', () => {
    const clean = readSpawns(set.byName.clean.files.execLogBinary);
    const cached = readSpawns(set.byName['disk-cache'].files.execLogBinary);
    assert.equal(cached.length, clean.length);
    assert.ok(cached.length > 0);
    for (const s of cached)
      assert.ok(s.cacheHit, `${s.mnemonic} ${s.listedOutputs[0]} was not a cache hit`);
    for (const s of clean)
      assert.ok(!s.cacheHit, `${s.mnemonic} ${s.listedOutputs[0]} was a cache hit`);
  });

  it('reruns only what the source edit and the env change affect', () => {
    const all = readSpawns(set.byName.clean.files.execLogBinary).length;
    const edited = readSpawns(set.byName['source-edit'].files.execLogBinary);
    const outputs = edited.flatMap((s) => s.listedOutputs);
    assert.ok(
      outputs.some((o) => o.endsWith('/gen/step1.txt')),
      outputs.join(', '),
    );
    assert.ok(edited.length < all, `${edited.length} of ${all}`);
    const env = readSpawns(set.byName['env-change'].files.execLogBinary);
    assert.ok(env.length > 0 && env.length < all, `${env.length} of ${all}`);
    for (const s of env) {
      const greeting = s.environmentVariables.find((v) => v.name === 'GREETING');
      assert.equal(greeting?.value, 'bonjour', `${s.mnemonic} ${s.listedOutputs[0]}`);
    }
  });

  it('builds into another configuration with -c opt', () => {
    const opt = readSpawns(set.byName.opt.files.execLogBinary);
    assert.ok(opt.length > 0);
    assert.ok(
      opt.every((s) => s.listedOutputs.every((o) => o.includes('-opt/'))),
      'outputs outside *-opt',
    );
  });

  it('records the failing build with the broken action and its working sibling', () => {
    const s = set.byName['failing-keep-going'];
    assert.match(s.stderr, /broken: frobnicator not found in PATH/);
    const spawns = readSpawns(s.files.execLogBinary);
    assert.deepEqual(spawns.map((x) => x.exitCode).sort(), [0, 3]);
  });

  it('records a passing and a failing test', () => {
    const statuses = bepEvents(set.byName.tests)
      .map((e) => (e.testResult as { status?: string } | undefined)?.status)
      .filter((x): x is string => !!x)
      .sort();
    assert.deepEqual(statuses, ['FAILED', 'PASSED']);
  });
});

function readBepBinaryCount(file: string): number {
  const reader = protobuf.Reader.create(fs.readFileSync(file));
  let count = 0;
  while (reader.pos < reader.len) {
    reader.skipType(2);
    count++;
  }
  return count;
}

describe('Bazel test harness: gate, wrappers and teardown', function () {
  this.timeout(5 * 60_000);
  let ws: Workspace;

  before(() => {
    ws = createWorkspace('gate');
  });

  it('holds a build at the gate until it is released', async () => {
    const held = startHeldBuild(ws);
    let settled = false;
    void held.result.then(() => (settled = true));
    await held.reached();
    assert.equal(settled, false, 'the build finished although the gate was closed');
    held.release();
    const run = await held.result;
    assert.equal(run.exitCode, 0, describeRun(run));
    assert.match(
      fs.readFileSync(path.join(ws.dir, 'bazel-bin', 'gate', 'after_gate.txt'), 'utf8'),
      /after the gate/,
    );
  });

  it('lets a test interrupt a held build (Bazel exits 8)', async () => {
    const held = startHeldBuild(ws);
    await held.reached();
    held.signal('SIGINT');
    const run = await held.result;
    assert.equal(run.exitCode, 8, describeRun(run));
    assert.match(run.stderr, /build interrupted/);
  });

  it('lets the gate give up by itself after its bound, so nothing hangs', async () => {
    const own = createWorkspace('gate-bound');
    const gate = armGate(own, 1);
    const run = await runBazel(own, ['build', ...gate.args, '//gate:gate']);
    assert.equal(run.exitCode, 1, describeRun(run));
    assert.match(run.stderr, /gate: gave up after 1s waiting for /);
    assert.ok(fs.existsSync(gate.reachedFile));
    gate.release();
  });

  it('runs a command through a wrapper, with its stdout apart from Bazel console', async () => {
    const jsonAfterBazel: BazelWrapper = {
      name: 'sh-json',
      wrap: ({ bazel, args }) => ({
        file: '/bin/sh',
        args: [
          '-c',
          '"$0" "$@"; rc=$?; printf \'{"exitCode":%d}\\n\' "$rc"; exit "$rc"',
          bazel,
          ...args,
        ],
      }),
    };
    const run = await runBazel(ws, ['build', '//gen:constant'], { wrapper: jsonAfterBazel });
    assert.equal(run.exitCode, 0, describeRun(run));
    assert.equal(run.stdout, '{"exitCode":0}\n');
    assert.match(run.stderr, /^INFO: \d+ process(es)?/m);
    assert.deepEqual(run.argv.slice(0, 2), ['/bin/sh', '-c']);
  });

  it('shuts down every Bazel server it started, opening a gate still closed', async function () {
    this.timeout(5 * 60_000);
    const root = `${outputUserRoot()}/`;
    const held = startHeldBuild(ws);
    await held.reached();
    assert.ok(
      processesMentioning(root).length > 0,
      'expected a running Bazel server before teardown',
    );
    await shutdownAll();
    const run = await held.result;
    assert.equal(run.exitCode, 0, describeRun(run));
    assert.deepEqual(processesMentioning(root), []);
  });
});
