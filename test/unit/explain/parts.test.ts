import { strict as assert } from 'node:assert';
import type { Spawn, SpawnFile } from '../../../src/execlog/types';
import { diffArgs } from '../../../src/explain/arg-diff';
import { findAction } from '../../../src/explain/action-lookup';
import { explainSpawns } from '../../../src/explain/explain';
import { renderActionMarkdown, renderSummaryMarkdown } from '../../../src/explain/render-markdown';
import { ExplanationIndex } from '../../../src/explain/explanation-index';
import { SpawnInterner } from '../../../src/explain/intern';
import {
  configOf,
  labelOf,
  primaryOutputOf,
  runfilesArtifactOf,
  withoutConfig,
} from '../../../src/explain/paths';
import { simulateBuild } from './simulated-build';

describe('explain: argument-level diff', () => {
  it('reports nothing for equal command lines', () => {
    assert.equal(diffArgs(['gcc', '-c', 'a.cc'], ['gcc', '-c', 'a.cc']), null);
  });

  it('names removed and added arguments in order, skipping common ones', () => {
    assert.deepEqual(
      diffArgs(['gcc', '-g0', '-c', 'a.cc'], ['gcc', '-O2', '-DNDEBUG', '-c', 'a.cc']),
      {
        old: ['-g0'],
        new: ['-O2', '-DNDEBUG'],
      },
    );
  });

  it('stays linear on huge command lines and still finds the differences', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `obj${i}.o`);
    const shuffled = [...many.slice(10_000), ...many.slice(0, 10_000), 'extra.o'];
    const d = diffArgs(['ld', ...many], ['ld', ...shuffled, 'tail']);
    assert.ok(d);
    assert.deepEqual(d.old, []);
    assert.deepEqual(d.new, ['extra.o', 'tail']);
  });
});

describe('explain: path facts', () => {
  it('reads and normalises the configuration segment', () => {
    assert.equal(configOf('bazel-out/k8-opt/bin/a.o'), 'k8-opt');
    assert.equal(configOf('src/a.cc'), null);
    assert.equal(withoutConfig('bazel-out/k8-opt/bin/a.o'), 'bazel-out/{cfg}/bin/a.o');
  });

  it('names an action by its main output: test.log, else the shortest real output', () => {
    assert.equal(primaryOutputOf(['o/a.pic.d', 'o/a.pic.o']), 'o/a.pic.o');
    assert.equal(
      primaryOutputOf(['lib/liblib-native-header.jar', 'lib/liblib.jar']),
      'lib/liblib.jar',
    );
    assert.equal(
      primaryOutputOf(['t/test.exited_prematurely', 't/test.xml', 't/test.log']),
      't/test.log',
    );
  });

  it('takes labels from the log, else from a 4.2.3 progress message', () => {
    assert.equal(labelOf('//p:x', 'Executing genrule //q:y'), '//p:x');
    assert.equal(labelOf(null, 'Executing genrule //gen:step1'), '//gen:step1');
    assert.equal(labelOf(null, 'Compiling cc/greet.cc'), null);
  });

  it('follows a runfiles entry to the artifact it links', () => {
    assert.equal(
      runfilesArtifactOf('bazel-out/k8/bin/t/test.runfiles/_main/lib/liblib.jar'),
      'bazel-out/k8/bin/lib/liblib.jar',
    );
    assert.equal(
      runfilesArtifactOf('bazel-out/k8/bin/t/tool.runfiles/rules_x/pkg/f.py'),
      'bazel-out/k8/bin/external/rules_x/pkg/f.py',
    );
    assert.equal(runfilesArtifactOf('bazel-out/k8/bin/lib/liblib.jar'), null);
  });
});

describe('explain: interning both logs', () => {
  it('makes an unchanged input of OLD and NEW the same object, a changed one not', () => {
    const build = (content: string) =>
      simulateBuild({ 'a.txt': 'same', 'b.txt': content }, [
        { outputs: ['bazel-out/k8/bin/o'], inputs: ['a.txt', 'b.txt'] },
      ]);
    const interner = new SpawnInterner();
    const take = (spawns: Spawn[]) => {
      interner.nextLog();
      return spawns.map((s) => interner.spawn(s));
    };
    const [oldSpawn] = take(build('one'));
    const [newSpawn] = take(build('two'));
    assert.equal(oldSpawn.inputs[0], newSpawn.inputs[0]);
    assert.notEqual(oldSpawn.inputs[1], newSpawn.inputs[1]);
    assert.equal(newSpawn.inputs[1].digest?.hash, build('two')[0].inputs[1].digest?.hash);
  });

  it('turns int64 sizes a reader left as Long objects into numbers', () => {
    const long = { low: 5, high: 0, unsigned: false, toString: () => '5' };
    const file = {
      path: 'x',
      digest: { hash: 'ab', sizeBytes: long as unknown as number },
      isTool: false,
      symlinkTarget: null,
    } satisfies SpawnFile;
    const interned = new SpawnInterner().file(file);
    assert.equal(interned.digest?.sizeBytes, 5);
  });
});

describe('explain: lookups for the editor', () => {
  const chain = (input: string) =>
    simulateBuild({ 'in.txt': input }, [
      { outputs: ['bazel-out/k8/bin/a'], inputs: ['in.txt'], label: '//p:t' },
      { outputs: ['bazel-out/k8/bin/b'], inputs: ['bazel-out/k8/bin/a'], label: '//p:t' },
      { outputs: ['bazel-out/k8/bin/c'], label: '//p:other' },
    ]);

  it('finds an action by output, gives a tooltip hint and groups a target by cause', () => {
    const index = new ExplanationIndex(explainSpawns(chain('1'), chain('2')));
    assert.equal(index.action('bazel-out/k8/bin/b')?.status, 'changed');
    assert.equal(index.action('bazel-out/k8/bin/c'), undefined);
    assert.equal(
      index.hint('bazel-out/k8/bin/b'),
      'changed: input changed: in.txt (via bazel-out/k8/bin/a)',
    );
    assert.equal(index.hint('bazel-out/k8/bin/c'), null);
    const target = index.target('//p:t');
    assert.equal(target.actions.length, 2);
    assert.deepEqual(
      target.groups.map((g) => [g.cause.kind, g.actions.length]),
      [['input', 2]],
    );
    assert.deepEqual(index.target('//p:other').groups, []);
  });
});

describe('explain: Markdown report for the editor', () => {
  const chain = (input: string, cmd: string) =>
    simulateBuild({ 'gen/in.txt': input }, [
      { outputs: ['bazel-out/k8/bin/a'], inputs: ['gen/in.txt'], label: '//p:a' },
      { outputs: ['bazel-out/k8/bin/b'], inputs: ['bazel-out/k8/bin/a'] },
      { outputs: ['bazel-out/k8/bin/c'], args: ['sh', cmd] },
    ]);
  const linkFor = (p: string) => (p.startsWith('bazel-out/') ? null : `file:///ws/${p}`);

  it('links changed sources and shows argument changes as a diff block', () => {
    const e = explainSpawns(chain('1', 'cat'), chain('2', 'tac'));
    const md = renderSummaryMarkdown(e.summary, linkFor);
    assert.match(md, /^## 1\. input changed: \[gen\/in\.txt\]\(file:\/\/\/ws\/gen\/in\.txt\)$/m);
    assert.match(md, /```diff\n- cat\n\+ tac\n```/);
    const report = findAction(e, 'bazel-out/k8/bin/b');
    assert.ok(report);
    const action = renderActionMarkdown(report, linkFor);
    assert.match(action, /^1\. `bazel-out\/k8\/bin\/a`\n2\. `bazel-out\/k8\/bin\/b`$/m);
    assert.match(action, /^- input changed: `bazel-out\/k8\/bin\/a`$/m);
  });
});
