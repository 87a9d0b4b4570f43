import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runRbl } from '../../helpers/cli';
import type { Spawn, SpawnFile } from '../../../src/execlog/types';
import { simulateBuild, type ActionSpec } from './simulated-build';

/** A spawn as Bazel's --execution_log_json_file writes it (secrets included, as Bazel does). */
function toSpawnExecJson(s: Spawn): string {
  const file = (f: SpawnFile) => ({
    path: f.path,
    digest: f.digest && { hash: f.digest.hash, sizeBytes: String(f.digest.sizeBytes) },
  });
  return JSON.stringify({
    commandArgs: s.args,
    environmentVariables: s.env,
    platform: { properties: s.platform },
    inputs: s.inputs.map(file),
    listedOutputs: s.listedOutputs,
    mnemonic: s.mnemonic,
    actualOutputs: s.actualOutputs.map(file),
    runner: s.runner,
    exitCode: s.exitCode,
    ...(s.label ? { targetLabel: s.label } : {}),
  });
}

const rbl = (...args: string[]) => runRbl(args);

describe('rbl explain options: secrets and complete builds', () => {
  let dir: string;
  const write = (name: string, actions: ActionSpec[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, simulateBuild({ 'in.txt': 'x' }, actions).map(toSpawnExecJson).join(''));
    return file;
  };
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'rbl-explain-opts-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('never prints the value of a secret-looking env variable or URL user-info', async () => {
    const gen = (token: string, url: string): ActionSpec[] => [
      {
        outputs: ['bazel-out/k8/bin/o'],
        inputs: ['in.txt'],
        env: { API_TOKEN: token, MIRROR: url },
        args: ['fetch', `--url=${url}`],
      },
    ];
    const oldLog = write('secret-old.json', gen('s3cr3t-old', 'https://alice:pw1@mirror/x'));
    const newLog = write('secret-new.json', gen('s3cr3t-new', 'https://alice:pw2@mirror/x'));
    for (const flags of [['--json'], [], ['--json', '--action', 'bazel-out/k8/bin/o']]) {
      const r = await rbl('explain', oldLog, newLog, ...flags);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /s3cr3t|pw1|pw2/);
      if (flags[0] === '--json' && flags.length === 1) {
        const causes = (JSON.parse(r.stdout) as { rootCauses: Record<string, unknown>[] })
          .rootCauses;
        const token = causes.find((c) => c.name === 'API_TOKEN');
        assert.deepEqual([token?.old, token?.new], ['***', '***']);
        const mirror = causes.find((c) => c.name === 'MIRROR');
        assert.deepEqual(
          [mirror?.old, mirror?.new],
          ['https://***@mirror/x', 'https://***@mirror/x'],
        );
      }
    }
  });

  it('--complete counts an action missing from NEW as removed, not notRun', async () => {
    const both: ActionSpec[] = [
      { outputs: ['bazel-out/k8/bin/a'], inputs: ['in.txt'], label: '//p:a' },
      { outputs: ['bazel-out/k8/bin/b'], inputs: ['in.txt'], label: '//p:b' },
    ];
    const oldLog = write('complete-old.json', both);
    const newLog = write('complete-new.json', both.slice(0, 1));
    const partial = JSON.parse((await rbl('explain', oldLog, newLog, '--json')).stdout) as {
      actions: Record<string, number>;
    };
    assert.deepEqual([partial.actions.notRun, partial.actions.removed], [1, 0]);
    const r = await rbl('explain', oldLog, newLog, '--json', '--complete');
    const complete = JSON.parse(r.stdout) as {
      actions: Record<string, number>;
      rootCauses: { kind: string; label: string }[];
    };
    assert.deepEqual([complete.actions.notRun, complete.actions.removed], [0, 1]);
    assert.deepEqual(
      complete.rootCauses.map((c) => [c.kind, c.label]),
      [['action-removed', '//p:b']],
    );
  });
});
