import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CompactLogDecoder, readExecLogFile, type Spawn } from '../../../src/execlog';
import { fixturesDir } from '../cli-log/shared-fixtures';
import { compactLog, digest } from './compact-builder';

type Entry = Parameters<typeof compactLog>[0][number];

function spawnsOf(entries: Entry[]): Spawn[] {
  const decoder = new CompactLogDecoder('test.zst');
  const spawns = decoder.push(compactLog(entries));
  decoder.finish();
  return spawns;
}

function keyOf(spawn: Spawn): number {
  assert.ok(spawn.contentKey, 'compact spawns have content keys');
  return spawn.contentKey();
}

/** What `contentKey` stands for: equal keys must mean these are equal. */
function facts(s: Spawn): unknown {
  return [s.args, s.env, s.platform, s.inputs, s.actualOutputs, s.exitCode, s.digest];
}

/**
 * One build of two compiles sharing a header, as a compact log. `shift` moves every id (another
 * build numbers its entries differently); `header` is the shared header's digest.
 */
function build(options: { shift: number; header: string; runner?: string }): Entry[] {
  const id = (n: number) => n + options.shift;
  const filler: Entry[] = Array.from({ length: options.shift }, (_, i) => ({
    id: i + 1,
    file: { path: `unrelated/${i}`, digest: digest(`u${i}`) },
  }));
  return [
    { id: 0, invocation: { hashFunctionName: 'SHA-256', workspaceRunfilesDirectory: '_main' } },
    ...filler,
    { id: id(1), file: { path: 'common.h', digest: digest(options.header) } },
    { id: id(2), file: { path: 'a.cc', digest: digest('ha') } },
    { id: id(3), file: { path: 'b.cc', digest: digest('hb') } },
    { id: id(4), inputSet: { inputIds: [id(1)] } },
    { id: id(5), inputSet: { inputIds: [id(2)], transitiveSetIds: [id(4)] } },
    { id: id(6), inputSet: { inputIds: [id(3)] } },
    { id: id(7), file: { path: 'bazel-out/k8/bin/a.o', digest: digest(`a-${options.header}`) } },
    { id: id(8), file: { path: 'bazel-out/k8/bin/b.o', digest: digest('b') } },
    {
      spawn: {
        args: ['gcc', '-c', 'a.cc'],
        envVars: [{ name: 'PATH', value: '/bin' }],
        inputSetId: id(5),
        outputs: [{ outputId: id(7) }],
        mnemonic: 'CppCompile',
        runner: options.runner ?? 'linux-sandbox',
      },
    },
    {
      spawn: {
        args: ['gcc', '-c', 'b.cc'],
        envVars: [{ name: 'PATH', value: '/bin' }],
        inputSetId: id(6),
        outputs: [{ outputId: id(8) }],
        mnemonic: 'CppCompile',
        runner: options.runner ?? 'linux-sandbox',
      },
    },
  ];
}

describe('compact execution log: content keys', () => {
  it('are equal for the same spawn in two logs that number their entries differently', () => {
    const one = spawnsOf(build({ shift: 0, header: 'h1' }));
    const other = spawnsOf(build({ shift: 7, header: 'h1', runner: 'remote cache hit' }));
    assert.deepEqual(one.map(keyOf), other.map(keyOf));
    assert.notEqual(keyOf(one[0]), keyOf(one[1]));
  });

  it('differ where a file deep in a nested set changed, and only there', () => {
    const before = spawnsOf(build({ shift: 0, header: 'h1' }));
    const after = spawnsOf(build({ shift: 3, header: 'h2' }));
    assert.notEqual(keyOf(before[0]), keyOf(after[0]));
    assert.equal(keyOf(before[1]), keyOf(after[1]));
  });

  it('on the real pairs of BuildBuddy fixtures, equal keys mean equal spawns', async () => {
    const root = fixturesDir('external', 'buildbuddy', 'compact-execlog-pairs');
    let equalKeys = 0;
    for (const version of readdirSync(root)) {
      const dir = path.join(root, version);
      for (const name of readdirSync(dir).filter((f) => f.endsWith('_old.pb.zstd'))) {
        const read = async (file: string) => (await readExecLogFile(path.join(dir, file))).spawns;
        const olds = await read(name);
        const news = await read(name.replace('_old', '_new'));
        for (const o of olds) {
          for (const n of news) {
            if (keyOf(o) !== keyOf(n)) continue;
            equalKeys++;
            assert.deepEqual(facts(o), facts(n), `${version}/${name}: ${o.listedOutputs[0]}`);
          }
        }
      }
    }
    // Unchanged actions of real builds do get equal keys (most pairs of these fixtures).
    assert.ok(equalKeys >= 30, `only ${equalKeys} equal keys`);
  });
});
