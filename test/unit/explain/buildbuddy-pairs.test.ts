import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { explainSpawns } from '../../../src/explain/explain';
import { readSpawnsForExplain } from '../../../src/explain/read';
import type { RootCause } from '../../../src/explain/types';
import { sharedDir } from '../../helpers/paths';

/**
 * The compact execution log pairs of BuildBuddy's `bb explain` tests (Bazel 7.3.1, 8.0.0,
 * 8.1.0), explained in this project's terms. Each row says what changed between the two builds
 * (worked out from the logs and from how upstream describes its scenarios) and the root causes
 * that must come out, written as `kind subject x affectedActions @first example`, paths with
 * their configuration segment shown as {cfg}.
 */
interface Row {
  version: string;
  pair: string;
  /** old, new, changed, added, removed, notRun, unchanged */
  actions: number[];
  causes: string[];
}

const ROWS: Row[] = [
  // Old: an empty package. New: a generated tool and a genrule using it: the tool's genrule is
  // the one new action where the change begins; the genrule reading the tool follows it.
  {
    version: '7.3.1',
    pair: 'empty_vs_nonempty',
    actions: [0, 2, 0, 2, 0, 0, 0],
    causes: ['action-added bazel-out/{cfg}/bin/pkg/tool x2 @bazel-out/{cfg}/bin/pkg/tool'],
  },
  // --action_env: OLD_ONLY removed, NEW_ONLY added, OLD_AND_NEW changed, EXTRA unchanged.
  {
    version: '7.3.1',
    pair: 'env_change',
    actions: [1, 1, 1, 0, 0, 0, 0],
    causes: [
      'env NEW_ONLY null -> "new_only" x1 @bazel-out/{cfg}/bin/pkg/out',
      'env OLD_AND_NEW "old" -> "new" x1 @bazel-out/{cfg}/bin/pkg/out',
      'env OLD_ONLY "old_only" -> null x1 @bazel-out/{cfg}/bin/pkg/out',
    ],
  },
  // The same test inputs, a different exit code: the test is non-hermetic; the XML spawn that
  // reads its test.log follows it (its '0' -> '1' argument is a symptom, not a cause).
  {
    version: '7.3.1',
    pair: 'flaky_test',
    actions: [2, 2, 2, 0, 0, 0, 0],
    causes: [
      'non-hermetic bazel-out/{cfg}/testlogs/pkg/flaky_test/test.log x2 @bazel-out/{cfg}/testlogs/pkg/flaky_test/test.log',
    ],
  },
  // Lib.java gains a public method: every compile of it and of its dependants, and the test
  // through its runfiles, trace back to the one source file.
  {
    version: '7.3.1',
    pair: 'java_header_change',
    actions: [9, 9, 5, 0, 0, 0, 4],
    causes: [
      'input src/main/java/com/example/lib/Lib.java x5 @bazel-out/{cfg}/bin/src/main/java/com/example/lib/liblib-hjar.jar',
    ],
  },
  // A method body changed: Javac, Turbine and the test (through runfiles) trace back to Lib.java.
  {
    version: '7.3.1',
    pair: 'java_impl_change',
    actions: [9, 9, 3, 0, 0, 0, 6],
    causes: [
      'input src/main/java/com/example/lib/Lib.java x3 @bazel-out/{cfg}/bin/src/main/java/com/example/lib/liblib-hjar.jar',
    ],
  },
  // A comment-only change: the jars come out identical, so nothing downstream is attributed to
  // the source; the test ran again with identical inputs yet wrote a different test.xml
  // (timings): by the CONTRACT's definition that test spawn is non-hermetic.
  {
    version: '7.3.1',
    pair: 'java_noop_impl_change',
    actions: [9, 9, 3, 0, 0, 0, 6],
    causes: [
      'input src/main/java/com/example/lib/Lib.java x2 @bazel-out/{cfg}/bin/src/main/java/com/example/lib/liblib-hjar.jar',
      'non-hermetic bazel-out/{cfg}/testlogs/src/test/java/com/example/lib/lib_test/test.log x1 @bazel-out/{cfg}/testlogs/src/test/java/com/example/lib/lib_test/test.log',
    ],
  },
  // A genrule running uuidgen: same inputs, different output.
  {
    version: '7.3.1',
    pair: 'non_hermetic',
    actions: [1, 1, 1, 0, 0, 0, 0],
    causes: ['non-hermetic bazel-out/{cfg}/bin/pkg/out x1 @bazel-out/{cfg}/bin/pkg/out'],
  },
  // A source directory input: file1.txt changed, file3.txt appeared.
  {
    version: '7.3.1',
    pair: 'source_directory',
    actions: [1, 1, 1, 0, 0, 0, 0],
    causes: [
      'input pkg/src_dir/file1.txt x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-added pkg/src_dir/file3.txt x1 @bazel-out/{cfg}/bin/pkg/out',
    ],
  },
  // The command writing a tree artifact changed (a file's content); its consumer follows.
  {
    version: '7.3.1',
    pair: 'tree_artifact_contents',
    actions: [2, 2, 2, 0, 0, 0, 0],
    causes: ['args x2 @bazel-out/{cfg}/bin/out/tree_artifact'],
  },
  // The command writing a tree artifact changed (one file swapped for another); the consumer's
  // command line lists the tree's files, a symptom attributed to the producer.
  {
    version: '7.3.1',
    pair: 'tree_artifact_paths',
    actions: [2, 2, 2, 0, 0, 0, 0],
    causes: ['args x2 @bazel-out/{cfg}/bin/out/tree_artifact'],
  },
  // Old: an empty package. New: a generated tool and a genrule using it: the tool's genrule is
  // the one new action where the change begins; the genrule reading the tool follows it.
  {
    version: '8.0.0',
    pair: 'empty_vs_nonempty',
    actions: [0, 2, 0, 2, 0, 0, 0],
    causes: ['action-added bazel-out/{cfg}/bin/pkg/tool x2 @bazel-out/{cfg}/bin/pkg/tool'],
  },
  // Lib.java gains a public method: every compile of it and of its dependants, and the test
  // through its runfiles, trace back to the one source file.
  {
    version: '8.0.0',
    pair: 'java_header_change',
    actions: [9, 9, 5, 0, 0, 0, 4],
    causes: [
      'input src/main/java/com/example/lib/Lib.java x5 @bazel-out/{cfg}/bin/src/main/java/com/example/lib/liblib-hjar.jar',
    ],
  },
  // A comment-only change: the jars come out identical, so nothing downstream is attributed to
  // the source; the test ran again with identical inputs yet wrote a different test.xml
  // (timings): by the CONTRACT's definition that test spawn is non-hermetic.
  {
    version: '8.0.0',
    pair: 'java_noop_impl_change',
    actions: [9, 9, 3, 0, 0, 0, 6],
    causes: [
      'input src/main/java/com/example/lib/Lib.java x2 @bazel-out/{cfg}/bin/src/main/java/com/example/lib/liblib-hjar.jar',
      'non-hermetic bazel-out/{cfg}/testlogs/src/test/java/com/example/lib/lib_test/test.log x1 @bazel-out/{cfg}/testlogs/src/test/java/com/example/lib/lib_test/test.log',
    ],
  },
  // --noenable_bzlmod etc.: the workspace's runfiles directory is renamed (_main -> __main__):
  // TEST_WORKSPACE changes for both test spawns, and the runfiles entries move.
  {
    version: '8.0.0',
    pair: 'settings',
    actions: [2, 2, 2, 0, 0, 0, 0],
    causes: [
      'env TEST_WORKSPACE "_main" -> "__main__" x2 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
      'input bazel-out/{cfg}/bin/pkg/test.runfiles/_repo_mapping x1 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
      'input-added bazel-out/{cfg}/bin/pkg/test.runfiles/__main__/pkg/test.sh x1 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
      'input-added bazel-out/{cfg}/bin/pkg/test.runfiles/__main__/pkg/test x1 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
      'input-added bazel-out/{cfg}/bin/pkg/test.runfiles/__main__/external/bazel_tools/tools/bash/runfiles/runfiles.bash x1 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
      'input-removed bazel-out/{cfg}/bin/pkg/test.runfiles/_main/pkg/test.sh x1 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
      'input-removed bazel-out/{cfg}/bin/pkg/test.runfiles/_main/pkg/test x1 @bazel-out/{cfg}/testlogs/pkg/test/test.log',
    ],
  },
  // A data file in the runfiles of a genrule tool changed content: both genrules using the
  // tool miss, through that one runfiles entry.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_contents',
    actions: [4, 4, 2, 0, 0, 0, 2],
    causes: [
      'tool bazel-out/{cfg}/bin/pkg/tool.runfiles/_main/pkg/file1.txt x2 @bazel-out/{cfg}/bin/pkg/out1',
    ],
  },
  // The generated script of a genrule tool changed: the genrule writing it, then both users.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_contents_transitive',
    actions: [3, 3, 3, 0, 0, 0, 0],
    causes: ['args x3 @bazel-out/{cfg}/bin/tools/tool.sh'],
  },
  // --incompatible_default_to_explicit_init_py: the implicit empty __init__.py files leave the
  // py_binary tool's runfiles.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_empty_files_differ',
    actions: [1, 1, 1, 0, 0, 0, 0],
    causes: [
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/rules_python++python+python_3_11_aarch64-apple-darwin/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/_main/pkg/lib/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/rules_python++python+python_3_11_aarch64-apple-darwin/lib/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/rules_python++python+python_3_11_aarch64-apple-darwin/lib/python3.11/site-packages/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/rules_python++python+python_3_11_aarch64-apple-darwin/lib/python3.11/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/rules_python++python+python_3_11_aarch64-apple-darwin/lib/python3.11/config-3.11-darwin/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/pkg/bin.runfiles/rules_python++python+python_3_11_aarch64-apple-darwin/lib/python3.11/lib-dynload/__init__.py x1 @bazel-out/{cfg}/bin/pkg/out',
    ],
  },
  // An implicit empty __init__.py becomes an explicit empty source: the same runfiles.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_empty_files_identical',
    actions: [1, 1, 0, 0, 0, 0, 1],
    causes: [],
  },
  // A data file added to the runfiles of a genrule tool.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_paths',
    actions: [4, 4, 2, 0, 0, 0, 2],
    causes: [
      'input-added bazel-out/{cfg}/bin/pkg/tool.runfiles/_main/pkg/file3.txt x2 @bazel-out/{cfg}/bin/pkg/out1',
    ],
  },
  // Symlink and root-symlink targets changed content (one symlink re-pointed to a file with
  // the same content, which is no difference).
  {
    version: '8.0.0',
    pair: 'tool_runfiles_symlinks_contents',
    actions: [1, 1, 1, 0, 0, 0, 0],
    causes: [
      'tool bazel-out/{cfg}/bin/tools/tool.runfiles/_main/other/pkg/common x1 @bazel-out/{cfg}/bin/pkg/out',
      'tool bazel-out/{cfg}/bin/tools/tool.runfiles/other/pkg/common x1 @bazel-out/{cfg}/bin/pkg/out',
    ],
  },
  // A runfiles symlink renamed old_only -> new_only (under the workspace dir and at the root),
  // and the file behind `changed` changed content.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_symlinks_paths',
    actions: [1, 1, 1, 0, 0, 0, 0],
    causes: [
      'tool bazel-out/{cfg}/bin/tools/tool.runfiles/_main/changed x1 @bazel-out/{cfg}/bin/pkg/out',
      'tool bazel-out/{cfg}/bin/tools/tool.runfiles/changed x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-added bazel-out/{cfg}/bin/tools/tool.runfiles/_main/new_only x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-added bazel-out/{cfg}/bin/tools/tool.runfiles/new_only x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/tools/tool.runfiles/_main/old_only x1 @bazel-out/{cfg}/bin/pkg/out',
      'input-removed bazel-out/{cfg}/bin/tools/tool.runfiles/old_only x1 @bazel-out/{cfg}/bin/pkg/out',
    ],
  },
  // Only the nesting of the symlink sets changed: the flattened tree is the same.
  {
    version: '8.0.0',
    pair: 'tool_runfiles_symlinks_set_structure',
    actions: [1, 1, 0, 0, 0, 0, 1],
    causes: [],
  },
  // Old: an empty package. New: a generated tool and a genrule using it: the tool's genrule is
  // the one new action where the change begins; the genrule reading the tool follows it.
  {
    version: '8.1.0',
    pair: 'empty_vs_nonempty',
    actions: [0, 2, 0, 2, 0, 0, 0],
    causes: ['action-added bazel-out/{cfg}/bin/pkg/tool x2 @bazel-out/{cfg}/bin/pkg/tool'],
  },
];

/** The pairs folder in ../shared; fails loudly, naming the folder, when it is absent. */
const pairsDir = () => sharedDir('fixtures', 'external', 'buildbuddy', 'compact-execlog-pairs');

function cfg(p: string): string {
  return p.replace(/^bazel-out\/[^/]+\//, 'bazel-out/{cfg}/');
}

function describe1(c: RootCause): string {
  let s: string = c.kind;
  if ('path' in c) s += ` ${cfg(c.path)}`;
  if (c.kind === 'env' || c.kind === 'platform') {
    s += ` ${c.name} ${JSON.stringify(c.old)} -> ${JSON.stringify(c.new)}`;
  }
  return `${s} x${c.affectedActions} @${cfg(c.examples[0])}`;
}

describe('explain: BuildBuddy compact-log pairs (Bazel 7.3.1 to 8.1.0)', () => {
  before(() => pairsDir());

  for (const row of ROWS) {
    it(`${row.version} ${row.pair}`, async () => {
      const dir = path.join(pairsDir(), row.version);
      const oldLog = await readSpawnsForExplain(path.join(dir, `${row.pair}_old.pb.zstd`));
      const newLog = await readSpawnsForExplain(path.join(dir, `${row.pair}_new.pb.zstd`));
      const { actions, rootCauses } = explainSpawns(oldLog, newLog).summary;
      const a = actions;
      assert.deepEqual(
        [a.old, a.new, a.changed, a.added, a.removed, a.notRun, a.unchanged],
        row.actions,
      );
      assert.deepEqual(rootCauses.map(describe1), row.causes);
    });
  }

  it('covers every pair in the fixtures folder', () => {
    const onDisk = readdirSync(pairsDir()).flatMap((version) =>
      readdirSync(path.join(pairsDir(), version))
        .filter((f) => f.endsWith('_old.pb.zstd'))
        .map((f) => `${version} ${f.replace(/_old\.pb\.zstd$/, '')}`),
    );
    assert.deepEqual(onDisk.sort(), ROWS.map((r) => `${r.version} ${r.pair}`).sort());
  });
});
