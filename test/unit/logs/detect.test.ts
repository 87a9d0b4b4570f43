import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectLogFormat } from '../../../src/logs';
import { bazelScenarios, fixturesDir } from '../cli-log/shared-fixtures';

const detect = (file: string) => {
  const bytes = fs.readFileSync(file);
  return detectLogFormat(bytes.subarray(0, 64 * 1024), bytes.length);
};

describe('detectLogFormat', () => {
  it('tells every Bazel 4.2.3 file by its content, not its name', () => {
    for (const dir of bazelScenarios()) {
      const empty = (f: string) => fs.statSync(path.join(dir, f)).size === 0;
      assert.equal(detect(path.join(dir, 'bep.bin')), 'bep-binary', dir);
      assert.equal(detect(path.join(dir, 'bep.json')), 'bep-json', dir);
      assert.equal(
        detect(path.join(dir, 'exec.log.bin')),
        empty('exec.log.bin') ? 'empty' : 'spawn-binary',
        dir,
      );
      assert.equal(
        detect(path.join(dir, 'exec.log.json')),
        empty('exec.log.json') ? 'empty' : 'spawn-json',
        dir,
      );
    }
  });

  it('reads compact logs, pretty BEP and converted SpawnExec JSON', () => {
    const ext = (...p: string[]) => detect(fixturesDir('external', ...p));
    assert.equal(ext('buildbuddy', 'compact-to-json', '1.binpb.zst'), 'compact');
    assert.equal(ext('buildbuddy', 'compact-to-json', '1.json'), 'spawn-json');
    assert.equal(ext('analytics-cli', 'bep_retries.pretty.json'), 'bep-json');
  });

  it('reads a SpawnExec whose first argument looks like a protobuf tag as a spawn', () => {
    // "bazel-out/..." starts with 'b' (0x62): field 12, wire type 2, as if an id kind.
    const arg = Buffer.from('bazel-out/k8-fastbuild/bin/tool');
    const spawn = Buffer.concat([Buffer.from([0x0a, arg.length]), arg]);
    const record = Buffer.concat([Buffer.from([spawn.length]), spawn]);
    assert.equal(detectLogFormat(record, record.length), 'spawn-binary');
  });

  it('calls a 0-byte file empty and `{}` BEP JSON', () => {
    assert.equal(detectLogFormat(Buffer.alloc(0), 0), 'empty');
    assert.equal(detectLogFormat(Buffer.from('{}'), 2), 'bep-json');
  });
});
