import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompactLogDecoder, readExecLogFile, type Spawn } from '../../../src/execlog';
import { fixturesDir } from '../cli-log/shared-fixtures';
import { compactLog, delimitedEntries, digest, zstdRawFrame } from './compact-builder';

function decodeAll(
  bytes: Uint8Array,
  chunkSize = bytes.length,
): { spawns: Spawn[]; error: Error | null } {
  const decoder = new CompactLogDecoder('test.zst');
  const spawns: Spawn[] = [];
  try {
    for (let i = 0; i < bytes.length; i += chunkSize)
      spawns.push(...decoder.push(bytes.subarray(i, i + chunkSize)));
    decoder.finish();
  } catch (err) {
    return { spawns, error: err as Error };
  }
  return { spawns, error: null };
}

const paths = (spawn: Spawn) => spawn.inputs.map((f) => f.path);

describe('compact execution log reader', () => {
  it('gives the same spawns as the JSON that BuildBuddy converted from the same log', async () => {
    const dir = fixturesDir('external', 'buildbuddy', 'compact-to-json');
    const compact = await readExecLogFile(path.join(dir, '1.binpb.zst'));
    const json = await readExecLogFile(path.join(dir, '1.json'));
    assert.equal(compact.error, null);
    assert.equal(json.error, null);
    assert.equal(compact.spawns.length, json.spawns.length);
    compact.spawns.forEach((spawn, i) => {
      // A spread copy holds the lazily expanded inputs like any other field.
      assert.deepEqual({ ...spawn }, json.spawns[i]);
    });
  });

  it('expands the inputs of every spawn in every compact fixture, once, with unique paths', async () => {
    const root = fixturesDir('external', 'buildbuddy', 'compact-execlog-pairs');
    const files = fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.pb.zstd'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const { spawns, error } = await readExecLogFile(path.join(root, f));
      assert.equal(error, null, f);
      for (const spawn of spawns) {
        const inputs = spawn.inputs;
        assert.equal(spawn.inputs, inputs, `${f}: inputs are memoized`);
        assert.equal(new Set(paths(spawn)).size, inputs.length, `${f}: unique input paths`);
        assert.ok(JSON.stringify(spawn).includes('"inputs":['), 'inputs survive JSON.stringify');
      }
    }
  });

  it('reconstructs 8.x runfiles trees: symlinks, artifacts, root symlinks, repo mapping', async () => {
    const file = fixturesDir(
      'external',
      'buildbuddy',
      'compact-execlog-pairs',
      '8.0.0',
      'tool_runfiles_symlinks_paths_new.pb.zstd',
    );
    const { spawns } = await readExecLogFile(file);
    const tree = spawns[0].inputs.filter((f) => f.path.includes('.runfiles/'));
    assert.ok(tree.length > 0);
    const runfilesRoot = tree[0].path.slice(
      0,
      tree[0].path.indexOf('.runfiles/') + '.runfiles'.length,
    );
    const relative = tree.map((f) => f.path.slice(runfilesRoot.length + 1));
    // The scenario renamed one symlink old_only -> new_only.
    assert.ok(relative.some((p) => p.endsWith('new_only')));
    assert.ok(!relative.some((p) => p.endsWith('old_only')));
    assert.ok(relative.includes('_repo_mapping'));
    // The tool's own artifacts sit under the main repository's directory.
    assert.ok(relative.some((p) => p.startsWith('_main/tools/')));
    assert.ok(
      tree.every((f) => f.isTool),
      'runfiles of a tool are tools',
    );
  });

  describe('on logs built here', () => {
    const invocation = { id: 0, invocation: { hashFunctionName: 'SHA-256' } };
    const file = (id: number, p: string) => ({ id, file: { path: p, digest: digest(`h${id}`) } });

    it('expands input sets in post-order, transitive sets first, each set and input once (8.x layout)', () => {
      const log = compactLog([
        invocation,
        file(1, 'a'),
        file(2, 'b'),
        file(3, 'c'),
        { id: 4, directory: { path: 'dir', files: [{ path: 'x', digest: digest('hx') }] } },
        { id: 5, unresolvedSymlink: { path: 'link', targetPath: '../elsewhere' } },
        { id: 6, inputSet: { inputIds: [1] } },
        { id: 7, inputSet: { inputIds: [2], transitiveSetIds: [6] } },
        // A diamond: 6 is reachable twice.
        { id: 8, inputSet: { inputIds: [3, 4, 5, 1], transitiveSetIds: [7, 6] } },
        { id: 9, inputSet: { inputIds: [3] } },
        {
          spawn: {
            args: ['tool'],
            mnemonic: 'Gen',
            targetLabel: '//p:t',
            inputSetId: 8,
            toolSetId: 9,
            outputs: [{ outputId: 2 }, { invalidOutputPath: 'missing/out' }],
            runner: 'remote',
            cacheHit: true,
          },
        },
      ]);
      const { spawns, error } = decodeAll(log);
      assert.equal(error, null);
      assert.equal(spawns.length, 1);
      const [s] = spawns;
      assert.deepEqual(paths(s), ['a', 'b', 'c', 'dir/x', 'link']);
      assert.deepEqual(
        s.inputs.filter((f) => f.isTool).map((f) => f.path),
        ['c'],
      );
      assert.equal(s.inputs.find((f) => f.path === 'link')?.symlinkTarget, '../elsewhere');
      assert.deepEqual(s.listedOutputs, ['b', 'missing/out']);
      assert.deepEqual(
        s.actualOutputs.map((f) => f.path),
        ['b'],
      );
      assert.equal(s.label, '//p:t');
      assert.equal(s.runner, 'remote');
      assert.equal(s.cacheHit, true);
    });

    it('reads the 7.x layout (file_ids, directory_ids, file_id outputs) the same way', () => {
      const log = compactLog([
        invocation,
        file(1, 'a'),
        { id: 2, directory: { path: 'dir', files: [{ path: 'x' }] } },
        { id: 3, inputSet: { fileIds: [1], directoryIds: [2] } },
        file(4, 'out'),
        { id: 10, spawn: { mnemonic: 'M', inputSetId: 3, outputs: [{ fileId: 4 }] } },
      ]);
      const { spawns, error } = decodeAll(log);
      assert.equal(error, null);
      assert.deepEqual(paths(spawns[0]), ['a', 'dir/x']);
      assert.equal(spawns[0].inputs[1].digest, null, 'a file without digest has none');
      assert.deepEqual(spawns[0].listedOutputs, ['out']);
    });

    it('rebuilds a runfiles tree in Bazel order: symlinks, artifacts, empty files, root symlinks, repo mapping', () => {
      const tree = 'bazel-out/k8/bin/tool.runfiles';
      const log = compactLog([
        { id: 0, invocation: { hashFunctionName: 'SHA-256', workspaceRunfilesDirectory: '_main' } },
        file(1, 'bazel-out/k8/bin/tool'),
        file(2, 'external/repo/lib.txt'),
        file(3, 'pkg/data.txt'),
        { id: 4, inputSet: { inputIds: [1, 2] } },
        { id: 5, symlinkEntrySet: { directEntries: { link: 3, '../other/x': 3 } } },
        { id: 6, symlinkEntrySet: { directEntries: { root_link: 3 } } },
        {
          id: 7,
          runfilesTree: {
            path: tree,
            inputSetId: 4,
            symlinksId: 5,
            rootSymlinksId: 6,
            emptyFiles: ['pkg/__init__.py'],
            repoMappingManifest: { digest: digest('rm') },
          },
        },
        { id: 8, inputSet: { inputIds: [7, 1] } },
        // Only an external artifact: the workspace directory needs its .runfile marker.
        { id: 9, inputSet: { inputIds: [2] } },
        { id: 10, runfilesTree: { path: 'other.runfiles', inputSetId: 9 } },
        { id: 11, inputSet: { inputIds: [10] } },
        { spawn: { mnemonic: 'Run', inputSetId: 8, toolSetId: 8 } },
        { spawn: { mnemonic: 'Other', inputSetId: 11 } },
      ]);
      const { spawns, error } = decodeAll(log);
      assert.equal(error, null);
      assert.deepEqual(paths(spawns[0]), [
        `${tree}/_main/link`,
        `${tree}/other/x`,
        `${tree}/_main/tool`,
        `${tree}/repo/lib.txt`,
        `${tree}/_main/pkg/__init__.py`,
        `${tree}/root_link`,
        `${tree}/_repo_mapping`,
        'bazel-out/k8/bin/tool',
      ]);
      const byPath = new Map(spawns[0].inputs.map((f) => [f.path, f]));
      assert.equal(
        byPath.get(`${tree}/_main/link`)?.digest?.hash,
        'h3',
        "a symlink has its target's digest",
      );
      assert.equal(byPath.get(`${tree}/_main/pkg/__init__.py`)?.digest, null);
      assert.equal(byPath.get(`${tree}/_repo_mapping`)?.digest?.hash, 'rm');
      assert.ok(spawns[0].inputs.every((f) => f.isTool));
      assert.deepEqual(paths(spawns[1]), [
        'other.runfiles/repo/lib.txt',
        'other.runfiles/_main/.runfile',
      ]);
    });

    it('reports an id used twice and a set that refers to a set as an input', () => {
      const twice = decodeAll(compactLog([invocation, file(1, 'a'), file(1, 'b')]));
      assert.match(twice.error?.message ?? '', /entry id 1 appears twice/);
      const wrongKind = decodeAll(
        compactLog([
          invocation,
          file(1, 'a'),
          { id: 2, inputSet: { inputIds: [1] } },
          { id: 3, inputSet: { inputIds: [2] } },
        ]),
      );
      assert.match(wrongKind.error?.message ?? '', /refers to entry 2, which is of another kind/);
    });

    it('decodes the same in any chunking of the compressed bytes', () => {
      const entries = [invocation, file(1, 'a'), { id: 2, inputSet: { inputIds: [1] } }];
      for (let i = 0; i < 50; i++)
        entries.push({ spawn: { mnemonic: `M${i}`, inputSetId: 2 } } as never);
      const log = compactLog(entries);
      const whole = decodeAll(log).spawns.map((s) => s.mnemonic);
      for (const size of [1, 3, 7, 64])
        assert.deepEqual(
          decodeAll(log, size).spawns.map((s) => s.mnemonic),
          whole,
        );
    });

    it('stops at a reference to a missing entry: the spawns before it and one located error', () => {
      const before = delimitedEntries([invocation, file(1, 'a'), { spawn: { mnemonic: 'ok' } }]);
      const bad = delimitedEntries([
        { spawn: { mnemonic: 'bad', inputSetId: 99 } },
        { spawn: { mnemonic: 'after' } },
      ]);
      const { spawns, error } = decodeAll(zstdRawFrame(Buffer.concat([before, bad])));
      assert.deepEqual(
        spawns.map((s) => s.mnemonic),
        ['ok'],
      );
      assert.ok(error);
      assert.match(error.message, /refers to entry 99, which is missing/);
      assert.equal((error as { offset?: number }).offset, before.length);
    });

    it('reports a truncated zstd stream and keeps what was decoded', async () => {
      // Small blocks: a zstd decoder only emits whole blocks.
      const log = compactLog(
        [invocation, { spawn: { mnemonic: 'first' } }, { spawn: { mnemonic: 'x'.repeat(300) } }],
        16,
      );
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-compact-'));
      try {
        const cut = path.join(dir, 'cut.zst');
        fs.writeFileSync(cut, log.subarray(0, log.length - 100));
        const result = await readExecLogFile(cut);
        assert.equal(result.format, 'compact');
        assert.deepEqual(
          result.spawns.map((s) => s.mnemonic),
          ['first'],
        );
        assert.ok(result.error);
        assert.equal(result.error.source, cut);
        assert.equal(typeof result.error.offset, 'number');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
