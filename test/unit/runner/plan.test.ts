// The flags rbl build adds, and how it respects what the user's own options already do.
import * as assert from 'node:assert/strict';
import { planBuild, type PlanRequest } from '../../../src/runner/plan';
import { splitCommandLine } from '../../../src/runner/command-line';

const support423 = {
  version: null,
  flags: new Set([
    'bes_backend',
    'bes_timeout',
    'build_event_publish_all_actions',
    'execution_log_binary_file',
    'execution_log_json_file',
  ]),
};
const support8 = {
  version: '8.1.0',
  flags: new Set([...support423.flags, 'execution_log_compact_file']),
};

function request(argv: string[], extra: Partial<PlanRequest> = {}): PlanRequest {
  return {
    argv,
    cwd: '/ws',
    support: support423,
    rcWords: [],
    tempDir: '/tmp/rbl-x',
    sinkUrl: 'grpc://127.0.0.1:4242',
    publishAllActions: true,
    besTimeoutSecs: 60,
    ...extra,
  };
}

describe('runner: build plan', () => {
  it('adds ids, the sink, a bounded upload timeout, all actions and a private exec log', () => {
    const plan = planBuild(request(['build', '//...']));
    const argv = plan.argv;
    assert.equal(argv[0], 'build');
    assert.ok(argv.includes(`--invocation_id=${plan.invocationId}`));
    assert.ok(argv.includes(`--build_request_id=${plan.buildRequestId}`));
    assert.match(plan.buildRequestId, /^rbl-[0-9a-f-]{36}$/);
    assert.ok(argv.includes('--bes_backend=grpc://127.0.0.1:4242'));
    assert.ok(argv.includes('--bes_timeout=60s'));
    assert.ok(argv.includes('--build_event_publish_all_actions'));
    assert.ok(argv.includes('--execution_log_binary_file=/tmp/rbl-x/exec.log.bin'));
    // The sink's flags come after the user's options, so an expanded --config cannot undo them.
    assert.ok(argv.indexOf('//...') < argv.indexOf('--bes_backend=grpc://127.0.0.1:4242'));
    assert.deepEqual(plan.execLog, {
      flag: 'execution_log_binary_file',
      path: '/tmp/rbl-x/exec.log.bin',
      ours: true,
    });
  });

  it('prefers the compact log where the Bazel has it', () => {
    const plan = planBuild(request(['build', '//...'], { support: support8 }));
    assert.equal(plan.execLog?.flag, 'execution_log_compact_file');
  });

  it("reads the user's own exec log (command line or rc) instead of adding a second", () => {
    const explicit = planBuild(
      request(['test', '--execution_log_json_file=out/log.json', '//t:all']),
    );
    assert.deepEqual(explicit.execLog, {
      flag: 'execution_log_json_file',
      path: '/ws/out/log.json',
      ours: false,
    });
    assert.ok(!explicit.argv.some((a) => a.startsWith('--execution_log_binary_file')));
    const fromRc = planBuild(
      request(['build', '//...'], {
        support: support8,
        rcWords: ['--execution_log_compact_file', '/abs/x.zst'],
      }),
    );
    assert.deepEqual(fromRc.execLog, {
      flag: 'execution_log_compact_file',
      path: '/abs/x.zst',
      ours: false,
    });
    assert.ok(!fromRc.argv.some((a) => a.includes('execution_log')));
  });

  it("asks for a profile only where the exec log has no times, and reads the user's own", () => {
    const plain = planBuild(request(['build', '//...']));
    assert.deepEqual(plain.profile, { path: '/tmp/rbl-x/profile.json', ours: true });
    assert.ok(plain.argv.includes('--profile=/tmp/rbl-x/profile.json'));
    // Compact logs (Bazel >= 7.1) carry each spawn's wall time: no profile needed.
    const compact = planBuild(request(['build', '//...'], { support: support8 }));
    assert.equal(compact.profile, null);
    assert.ok(!compact.argv.some((a) => a.startsWith('--profile')));
    const theirs = planBuild(request(['build', '--profile', 'out/p.json.gz', '//...']));
    assert.deepEqual(theirs.profile, { path: '/ws/out/p.json.gz', ours: false });
    assert.equal(theirs.argv.filter((a) => a.startsWith('--profile')).length, 1);
  });

  it("forwards to the user's BES backend, replacing it with the sink, and keeps their ids", () => {
    const id = '0f0e0d0c-0b0a-4999-8888-777766665555';
    const plan = planBuild(
      request([
        'build',
        '--bes_backend=grpcs://bes.example.com',
        `--invocation_id=${id}`,
        '--bes_results_url=https://r.example/',
        '//...',
      ]),
    );
    assert.equal(plan.userBesBackend, 'grpcs://bes.example.com');
    assert.equal(plan.userResultsUrl, 'https://r.example/');
    assert.equal(plan.invocationId, id);
    assert.equal(plan.argv.filter((a) => a.startsWith('--bes_backend')).length, 1);
    assert.equal(plan.argv.filter((a) => a.startsWith('--invocation_id')).length, 1);
    assert.ok(plan.argv.includes('--bes_backend=grpc://127.0.0.1:4242'));
  });

  it('can leave out --build_event_publish_all_actions, and respects the user turning it off', () => {
    assert.ok(
      !planBuild(request(['build', '//...'], { publishAllActions: false })).argv.includes(
        '--build_event_publish_all_actions',
      ),
    );
    const off = planBuild(request(['build', '--nobuild_event_publish_all_actions', '//...']));
    assert.ok(!off.argv.includes('--build_event_publish_all_actions'));
  });

  it('socket-free mode writes a BEP binary file instead of using a port', () => {
    const plan = planBuild(request(['build', '//...'], { sinkUrl: null }));
    assert.equal(plan.bepFile, '/tmp/rbl-x/bep.bin');
    assert.ok(plan.argv.includes('--build_event_binary_file=/tmp/rbl-x/bep.bin'));
    assert.ok(!plan.argv.some((a) => a.startsWith('--bes_backend')));
  });

  it('keeps startup options before the command and `--` arguments at the end', () => {
    const plan = planBuild(
      request(['--output_base=/o', 'run', '//x:y', '--', '--flag-for-the-program']),
    );
    assert.deepEqual(plan.argv.slice(0, 2), ['--output_base=/o', 'run']);
    assert.deepEqual(plan.argv.slice(-2), ['--', '--flag-for-the-program']);
    assert.deepEqual(splitCommandLine(['--batch']).command, null);
  });

  it('rejects ids Bazel would reject, and a missing command', () => {
    assert.throws(() => planBuild(request(['build', '--invocation_id=abc'])), /not a UUID/);
    assert.throws(() => planBuild(request(['--batch'])), /no Bazel command/);
  });
});
