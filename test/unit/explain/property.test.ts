import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { explainSpawns } from '../../../src/explain/explain';
import { simulateBuild, type ActionSpec } from './simulated-build';

/**
 * Invariants of the attribution on random builds: a random DAG of actions over a few sources,
 * built twice with random changes in between (a source edited, an env value, a command line,
 * a non-hermetic action, actions dropped from the log). Whatever the change, the counts add up,
 * every changed/added/removed action has a root cause, each cause's count is the number of
 * actions naming it, and the examples start where the change began.
 */
interface World {
  sources: Record<string, string>;
  actions: ActionSpec[];
}

const SOURCES = ['s0.txt', 's1.txt', 's2.txt', 's3.txt'];

const worldArb: fc.Arbitrary<World> = fc
  .array(
    fc.record({
      sourcePicks: fc.subarray(SOURCES, { maxLength: 2 }),
      depPicks: fc.array(fc.nat(), { maxLength: 3 }),
      env: fc.constantFrom('a', 'b'),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((rows) => ({
    sources: Object.fromEntries(SOURCES.map((s) => [s, `content of ${s}`])),
    actions: rows.map((row, i) => ({
      outputs: [`bazel-out/k8-fastbuild/bin/a${i}.out`],
      inputs: [
        ...row.sourcePicks,
        // Only earlier actions, so the graph is acyclic and producers run first.
        ...[...new Set(row.depPicks.filter(() => i > 0).map((d) => d % i))].map(
          (d) => `bazel-out/k8-fastbuild/bin/a${d}.out`,
        ),
      ],
      args: ['/bin/bash', '-c', `step ${i}`],
      env: { MODE: row.env },
      label: `//p:a${i}`,
    })),
  }));

type Change =
  | { kind: 'edit'; source: number }
  | { kind: 'env'; action: number }
  | { kind: 'args'; action: number }
  | { kind: 'nonce'; action: number }
  | { kind: 'skip'; action: number };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), source: fc.nat(SOURCES.length - 1) }),
  fc.record({ kind: fc.constant('env' as const), action: fc.nat() }),
  fc.record({ kind: fc.constant('args' as const), action: fc.nat() }),
  fc.record({ kind: fc.constant('nonce' as const), action: fc.nat() }),
  fc.record({ kind: fc.constant('skip' as const), action: fc.nat() }),
);

function applyChanges(world: World, changes: Change[]): { world: World; skipped: Set<number> } {
  const sources = { ...world.sources };
  const actions = world.actions.map((a) => ({ ...a, env: { ...a.env } }));
  const skipped = new Set<number>();
  for (const c of changes) {
    if (c.kind === 'edit') sources[SOURCES[c.source]] += ' edited';
    else {
      const i = c.action % actions.length;
      if (c.kind === 'env') actions[i].env = { MODE: `${actions[i].env.MODE}!` };
      if (c.kind === 'args') actions[i].args = [...(actions[i].args ?? []), '--changed'];
      if (c.kind === 'nonce') actions[i].nonce = 'new run';
      if (c.kind === 'skip') skipped.add(i);
    }
  }
  return { world: { sources, actions }, skipped };
}

describe('explain: attribution invariants on random builds (property)', () => {
  it('counts add up and every affected action has a root cause', () => {
    fc.assert(
      fc.property(worldArb, fc.array(changeArb, { maxLength: 4 }), (world, changes) => {
        const oldLog = simulateBuild(world.sources, world.actions);
        const next = applyChanges(world, changes);
        // Skipped actions ran (their outputs exist) but are not in the log, like an action
        // cache hit.
        const newLog = simulateBuild(next.world.sources, next.world.actions).filter(
          (_, i) => !next.skipped.has(i),
        );
        const { summary, actions } = explainSpawns(oldLog, newLog);
        const a = summary.actions;
        assert.equal(a.old, a.changed + a.unchanged + a.removed + a.notRun);
        assert.equal(a.new, a.changed + a.unchanged + a.added);
        assert.equal(actions.length, a.changed + a.added + a.removed);
        for (const action of actions) assert.ok(action.causes.length > 0, action.primaryOutput);
        summary.rootCauses.forEach((cause, i) => {
          const naming = actions.filter((x) => x.causes.includes(i));
          assert.equal(cause.affectedActions, naming.length);
          assert.ok(cause.affectedActions > 0);
          assert.equal(cause.examples[0], naming[0].primaryOutput);
        });
        if (changes.length === 0) {
          assert.deepEqual(summary.rootCauses, []);
          assert.equal(a.changed, 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a single source edit is exactly one input cause over what reads it, directly or not', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(SOURCES.length - 1), (world, source) => {
        const edited = applyChanges(world, [{ kind: 'edit', source }]).world;
        const { summary } = explainSpawns(
          simulateBuild(world.sources, world.actions),
          simulateBuild(edited.sources, edited.actions),
        );
        // What the edit reaches, computed independently: readers of the source, transitively.
        const reached = new Set<string>([SOURCES[source]]);
        for (const action of world.actions) {
          if ((action.inputs ?? []).some((p) => reached.has(p))) reached.add(action.outputs[0]);
        }
        const affected = reached.size - 1;
        if (affected === 0) {
          assert.deepEqual(summary.rootCauses, []);
          return;
        }
        assert.deepEqual(
          summary.rootCauses.map((c) => [c.kind, 'path' in c ? c.path : null, c.affectedActions]),
          [['input', SOURCES[source], affected]],
        );
        assert.equal(summary.actions.changed, affected);
      }),
      { numRuns: 300 },
    );
  });
});
