// A --remote_header secret in an rc file never reaches rbl's output, logs, model summary or
// history store, although Bazel itself prints it (with --announce_rc) and puts it in BEP.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, requireBazel, runBazel, type Workspace } from '../helpers/bazel';
import { rblBuildWrapper } from '../helpers/scenarios';
import { rblCommand, summaryOf } from './engine-rbl';

const SECRET = `rbl-secret-${process.pid}-9d1e`;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => fs.statSync(f).isFile());
}

describe('engine: secrets from rc files (real Bazel)', function () {
  this.timeout(10 * 60_000);
  let ws: Workspace;

  before(() => {
    requireBazel();
    ws = createWorkspace('engine-secret');
    fs.appendFileSync(
      path.join(ws.dir, 'user.bazelrc'),
      `build --remote_header=x-rbl-token=${SECRET}\nbuild --client_env=RBL_API_TOKEN=${SECRET}\n`,
    );
  });

  it('Bazel itself shows the secret (so the next test can fail)', async () => {
    const bep = path.join(ws.dir, 'plain.bep.json');
    const run = await runBazel(ws, [
      'build',
      '--announce_rc',
      `--build_event_json_file=${bep}`,
      '//gen:constant',
    ]);
    assert.equal(run.exitCode, 0, run.stderr.slice(-2000));
    assert.ok(run.stderr.includes(SECRET), 'Bazel prints rc options with --announce_rc');
    assert.ok(fs.readFileSync(bep, 'utf8').includes(SECRET), 'Bazel puts the header value in BEP');
    fs.rmSync(bep);
  });

  it('rbl build --json: not in stdout, stderr, the summary or the history store', async () => {
    const run = await runBazel(ws, ['build', '--announce_rc', '//gen:all'], {
      wrapper: rblBuildWrapper(rblCommand(), 'rbl-secret'),
    });
    assert.equal(run.exitCode, 0, run.stderr.slice(-2000));
    assert.ok(!run.stdout.includes(SECRET), 'stdout');
    assert.ok(!run.stderr.includes(SECRET), 'stderr (Bazel console passed through)');
    assert.match(run.stderr, /x-rbl-token=\*\*\*/);
    const summary = summaryOf(run.stdout);
    assert.ok(summary.actions.length > 0);
    const stored = filesUnder(path.join(ws.dir, '.rbl'));
    assert.ok(
      stored.some((f) => f.endsWith('summary.json')),
      stored.join('\n'),
    );
    for (const file of stored) assert.ok(!fs.readFileSync(file, 'utf8').includes(SECRET), file);
  });
});
