import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRbl } from '../../helpers/cli';
import { snapshot, tempDir } from './helpers';

const SECRET = 'cli-secret-value-31337';

/** `rbl remote ARGS` in a workspace, blind to the machine's own rc files and environment. */
const rbl = (cwd: string, ...args: string[]) =>
  runRbl(['remote', ...args, '--system-rc', '', '--home', ''], { cwd, env: {} });

describe('rbl remote get|set|disable (CLI contract)', () => {
  it('get --json prints one object with header names only and URL user-info as ***', async () => {
    const ws = tempDir();
    fs.writeFileSync(
      path.join(ws, '.bazelrc'),
      `build --remote_cache=grpcs://user:${SECRET}@cache.example.com\nbuild --remote_header=x-api-key=${SECRET}\nbuild --remote_default_exec_properties=OSFamily=Linux\n`,
    );
    const r = await rbl(ws, 'get', '--workspace', ws, '--tool', 'bazel', '--json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(json.tool, 'bazel');
    assert.equal(json.cache, 'grpcs://***@cache.example.com');
    assert.deepEqual(json.headers, ['x-api-key']);
    assert.deepEqual(json.platform, { OSFamily: 'Linux' });
    assert.deepEqual(json.files, ['.bazelrc']);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET));
  });

  it('set --dry-run prints the diff (secrets as ***) and writes nothing; set then get round-trips', async () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, 'pants.toml'), '[GLOBAL]\npants_version = "2.20.0"\n');
    const args = ['--workspace', ws, '--tool', 'pants', '--executor', 'grpcs://re.example.com:443'];
    const before = snapshot(ws);
    const dry = await rbl(ws, 'set', ...args, '--header', `authorization=${SECRET}`, '--dry-run');
    assert.equal(dry.code, 0);
    assert.match(
      dry.stdout,
      /^\+remote_execution_address = "grpcs:\/\/re\.example\.com:443" # rbl:remote$/m,
    );
    assert.match(
      dry.stdout,
      /^\+remote_store_headers = \{ authorization = "\*\*\*" \} # rbl:remote$/m,
    );
    assert.ok(!dry.stdout.includes(SECRET) && !dry.stderr.includes(SECRET));
    assert.deepEqual(snapshot(ws), before);
    assert.equal((await rbl(ws, 'set', ...args, '--header', `authorization=${SECRET}`)).code, 0);
    const again = await rbl(ws, 'set', ...args, '--header', `authorization=${SECRET}`, '--json');
    assert.deepEqual((JSON.parse(again.stdout) as { changed: string[] }).changed, []);
    const got = JSON.parse(
      (await rbl(ws, 'get', '--workspace', ws, '--tool', 'pants', '--json')).stdout,
    ) as Record<string, unknown>;
    assert.equal(got.executor, 'grpcs://re.example.com:443');
    assert.deepEqual(got.headers, ['authorization']);
    assert.equal((await rbl(ws, 'disable', '--workspace', ws, '--tool', 'pants')).code, 0);
    assert.deepEqual(snapshot(ws), before);
  });

  it('exits 2 naming a flag the tool cannot express, an invalid URL, or a bad NAME=VALUE', async () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, '.buckconfig'), '[cells]\nroot = .\n');
    const cases: [string[], RegExp][] = [
      [['--platform', 'OSFamily=Linux'], /^rbl: --platform: buck2 has no setting for --platform/],
      [['--executor', 'not a url'], /^rbl: --executor: invalid URL/],
      [['--executor', 'ftp://host'], /^rbl: --executor: unsupported URL scheme/],
      [['--header', SECRET], /^rbl: --header: expected NAME=VALUE/],
    ];
    for (const [flags, message] of cases) {
      const r = await rbl(ws, 'set', '--workspace', ws, '--tool', 'buck2', ...flags);
      assert.equal(r.code, 2, flags.join(' '));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.ok(!r.stderr.includes(SECRET));
    }
    assert.deepEqual(fs.readdirSync(ws), ['.buckconfig']);
  });

  it('detects the tool from the workspace when --tool is absent', async () => {
    const ws = tempDir();
    fs.writeFileSync(
      path.join(ws, '.buckconfig'),
      '[buck2_re_client]\nengine_address = grpc://re:1\n',
    );
    const r = await rbl(ws, 'get', '--json');
    assert.equal((JSON.parse(r.stdout) as { tool: string }).tool, 'buck2');
  });
});
