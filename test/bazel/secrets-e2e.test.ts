// Secrets end to end (issue 10): a header secret configured with `rbl remote set --header`
// lands in the secrets file and nowhere else. After a real build through `rbl build`, every
// output, log, --json result, history-store file and every other file rbl wrote (in the
// workspace copy, in rbl's private TMPDIR, in the run's HOME) is searched for it: zero hits.
// URL user-info is shown as ***.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createWorkspace,
  requireBazel,
  runBazel,
  runRoot,
  scrubbedEnv,
  type Workspace,
} from '../helpers/bazel';
import { rblBuildWrapper } from '../helpers/scenarios';
import { rblCommand, summaryOf } from './engine-rbl';

const SECRET = `rbl-e2e-secret-${process.pid}-7c3f`;
const URL_PASSWORD = `rbl-e2e-password-${process.pid}`;

/** Regular files under `dir`, not following symlinks (bazel-* point into Bazel's own tree). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

function rbl(args: string[], env: Record<string, string>): { code: number; out: string } {
  const [node, main] = rblCommand();
  const r = spawnSync(node, [main, ...args], { encoding: 'utf8', env });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('secrets end to end (real Bazel through rbl)', function () {
  this.timeout(10 * 60_000);
  let ws: Workspace;
  let tmp: string;
  let env: Record<string, string>;
  const outputs: string[] = [];

  before(() => {
    requireBazel();
    ws = createWorkspace('secrets-e2e');
    tmp = fs.mkdtempSync(path.join(runRoot(), 'secrets-tmp-'));
    env = scrubbedEnv({ TMPDIR: tmp });
  });

  it('rbl remote set --header puts the secret in exactly one file, the secrets file', () => {
    const set = rbl(
      [
        'remote',
        'set',
        '--workspace',
        ws.dir,
        '--tool',
        'bazel',
        '--header',
        `x-api-key=${SECRET}`,
      ],
      env,
    );
    outputs.push(set.out);
    assert.equal(set.code, 0, set.out);
    const holding = filesUnder(ws.dir).filter((f) => fs.readFileSync(f, 'utf8').includes(SECRET));
    assert.equal(holding.length, 1, `files holding the secret: ${holding.join(', ')}`);
    assert.notEqual(path.basename(holding[0] ?? ''), '.bazelrc');
    assert.equal(
      fs.statSync(holding[0] ?? '').mode & 0o077,
      0,
      'the secrets file is readable by others',
    );
    const get = rbl(['remote', 'get', '--workspace', ws.dir, '--tool', 'bazel', '--json'], env);
    outputs.push(get.out);
    assert.equal(get.code, 0, get.out);
    assert.ok(get.out.includes('x-api-key'), get.out);
  });

  it('URL user-info is printed as ***', () => {
    const dry = rbl(
      [
        'remote',
        'set',
        '--workspace',
        ws.dir,
        '--tool',
        'bazel',
        '--config',
        'withuser',
        '--cache',
        `grpcs://alice:${URL_PASSWORD}@cache.example.com:443`,
        '--dry-run',
      ],
      env,
    );
    outputs.push(dry.out);
    assert.equal(dry.code, 0, dry.out);
    assert.ok(dry.out.includes('grpcs://***@cache.example.com'), dry.out);
    assert.ok(!dry.out.includes(URL_PASSWORD), dry.out);
  });

  it('after a real rbl build, no output and no file rbl wrote holds the secret', async () => {
    const secretsFile = filesUnder(ws.dir).find((f) => fs.readFileSync(f, 'utf8').includes(SECRET));
    assert.ok(secretsFile);
    const run = await runBazel(ws, ['build', '--announce_rc', '//gen:all'], {
      wrapper: rblBuildWrapper(rblCommand(), 'rbl-secrets-e2e'),
      env: { TMPDIR: tmp },
    });
    assert.equal(run.exitCode, 0, run.stderr.slice(-2000));
    // Bazel announced the rc options, header included: the console went through redaction.
    assert.match(run.stderr, /x-api-key=\*\*\*/);
    assert.ok(summaryOf(run.stdout).actions.length > 0);
    outputs.push(run.stdout, run.stderr);
    for (const [i, text] of outputs.entries()) assert.ok(!text.includes(SECRET), `output ${i}`);

    const written = [
      ...filesUnder(ws.dir).filter((f) => f !== secretsFile),
      ...filesUnder(tmp),
      ...filesUnder(scrubbedEnv().HOME ?? ''),
    ];
    const store = written.filter((f) => f.includes(`${path.sep}.rbl${path.sep}`));
    assert.ok(store.length > 0, 'the history store wrote nothing: nothing was searched there');
    const hits = written.filter((f) => fs.readFileSync(f).includes(SECRET));
    assert.deepEqual(hits, [], 'files holding the secret');
    console.log(
      `      searched ${outputs.length} outputs and ${written.length} files (${store.length} in the history store): 0 hits`,
    );
  });
});
