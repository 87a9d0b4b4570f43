import { strict as assert } from 'node:assert';
import type { Spawn } from '../../../src/execlog/types';
import { explainSpawns, explainStreamed } from '../../../src/explain/explain';
import { simulateBuild, type ActionSpec } from './simulated-build';

/**
 * The explanation's fast paths (bench part "explain"): identical pairs recognised by a reader's
 * content key without expanding inputs, and NEW streamed in and let go once OLD matched it. Each
 * must give exactly the answer of the plain comparison.
 */

const ACTIONS: ActionSpec[] = [
  {
    outputs: ['bazel-out/k8-fastbuild/bin/a.o'],
    inputs: ['a.cc', 'common.h'],
    mnemonic: 'CppCompile',
  },
  {
    outputs: ['bazel-out/k8-fastbuild/bin/b.o'],
    inputs: ['b.cc', 'common.h'],
    mnemonic: 'CppCompile',
  },
  { outputs: ['bazel-out/k8-fastbuild/bin/c.o'], inputs: ['c.cc'], mnemonic: 'CppCompile' },
  {
    outputs: ['bazel-out/k8-fastbuild/bin/app'],
    inputs: [
      'bazel-out/k8-fastbuild/bin/a.o',
      'bazel-out/k8-fastbuild/bin/b.o',
      'bazel-out/k8-fastbuild/bin/c.o',
    ],
    mnemonic: 'CppLink',
  },
];

function build(common: string): Spawn[] {
  return simulateBuild({ 'a.cc': 'a', 'b.cc': 'b', 'c.cc': 'c', 'common.h': common }, ACTIONS);
}

/** Counts which spawns had their inputs expanded. */
class Reads {
  readonly expanded = new Set<string>();
}

/**
 * A spawn as a lazy reader with content keys hands it out: `key` as its content key, inputs
 * counted when expanded.
 */
function keyed(spawn: Spawn, key: number, reads: Reads): Spawn {
  const copy = { ...spawn } as Spawn & { contentKey?: () => number };
  Object.defineProperty(copy, 'inputs', {
    get: () => {
      reads.expanded.add(spawn.listedOutputs[0]);
      return spawn.inputs;
    },
    enumerable: true,
  });
  copy.contentKey = () => key;
  return copy;
}

/** A key per distinct content: what a reader's hash of the spawn's facts gives. */
function contentKeys(spawns: Spawn[]): number[] {
  const keys = new Map<string, number>();
  return spawns.map((s) => {
    const facts = JSON.stringify([
      s.args,
      s.env,
      s.platform,
      s.inputs,
      s.actualOutputs,
      s.exitCode,
    ]);
    let key = keys.get(facts);
    if (key === undefined) {
      key = hashString(facts);
      keys.set(facts, key);
    }
    return key;
  });
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) + 1;
}

describe('explain: fast paths give the plain answer', () => {
  it('identical pairs with equal content keys are never expanded', () => {
    const oldBuild = build('v1');
    const newBuild = build('v2');
    const reads = new Reads();
    const oldKeys = contentKeys(oldBuild);
    const newKeys = contentKeys(newBuild);
    const summary = explainSpawns(
      oldBuild.map((s, i) => keyed(s, oldKeys[i], reads)),
      newBuild.map((s, i) => keyed(s, newKeys[i], reads)),
    ).summary;
    assert.deepEqual(summary, explainSpawns(build('v1'), build('v2')).summary);
    assert.equal(summary.actions.changed, 3);
    assert.equal(summary.actions.unchanged, 1);
    // c.o is the same on both sides: its key said so, its inputs were never needed.
    assert.ok(!reads.expanded.has('bazel-out/k8-fastbuild/bin/c.o'));
    assert.ok(reads.expanded.has('bazel-out/k8-fastbuild/bin/a.o'));
  });

  it('unequal or NaN keys prove nothing: the spawns are compared', () => {
    const reads = new Reads();
    let next = 1;
    // Every spawn its own key (as when the same files sit in other nested sets), or NaN.
    const summary = explainSpawns(
      build('v1').map((s) => keyed(s, next++, reads)),
      build('v1').map((s) => keyed(s, Number.NaN, reads)),
    ).summary;
    assert.equal(summary.actions.unchanged, 4);
    assert.equal(summary.actions.changed, 0);
    assert.equal(reads.expanded.size, 4);
  });

  it('NEW streamed in gives the answer of NEW held in an array', async () => {
    async function* stream(spawns: Spawn[]): AsyncGenerator<Spawn> {
      for (const s of spawns) yield s;
    }
    const streamed = await explainStreamed(stream(build('v1')), stream(build('v2')));
    assert.deepEqual(streamed, explainSpawns(build('v1'), build('v2')));
    assert.equal(streamed.summary.rootCauses.length, 1);
    assert.deepEqual(streamed.summary.rootCauses[0], {
      kind: 'input',
      path: 'common.h',
      affectedActions: 3,
      examples: streamed.summary.rootCauses[0].examples,
    });
  });
});
