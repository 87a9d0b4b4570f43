/**
 * Joins execution-log spawns to BEP actions (reference §4): a spawn belongs to the action whose
 * primary output is one of its listed outputs; a `TestRunner` spawn (which does not list
 * `test.log`) to the test action whose primary output sits in the same directory as one of its
 * outputs, or whose label its progress message names. Spawns left over become actions of their own.
 */
import type { Spawn } from '../execlog/types';
import { labelInMessage } from './action-output';

export interface JoinableAction {
  id: string;
  label: string | null;
  mnemonic: string;
  primaryOutput: string | null;
}

export interface JoinResult {
  /** Spawn indexes (into the given array) per action id, in log order. */
  byAction: Map<string, number[]>;
  /** Indexes of spawns no action claimed. */
  orphans: number[];
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '';
}

export function joinSpawns(
  actions: readonly JoinableAction[],
  spawns: readonly Spawn[],
): JoinResult {
  const byOutput = new Map<string, string>();
  const testsByDir = new Map<string, string>();
  const testsByLabel = new Map<string, string>();
  for (const a of actions) {
    if (a.primaryOutput) byOutput.set(a.primaryOutput, a.id);
    if (a.mnemonic === 'TestRunner' && a.primaryOutput) {
      testsByDir.set(dirname(a.primaryOutput), a.id);
      if (a.label) testsByLabel.set(a.label, a.id);
    }
  }
  const byAction = new Map<string, number[]>();
  const orphans: number[] = [];
  spawns.forEach((spawn, index) => {
    const id = ownerOf(spawn, byOutput, testsByDir, testsByLabel);
    if (id === null) {
      orphans.push(index);
      return;
    }
    const list = byAction.get(id) ?? [];
    list.push(index);
    byAction.set(id, list);
  });
  return { byAction, orphans };
}

function ownerOf(
  spawn: Spawn,
  byOutput: Map<string, string>,
  testsByDir: Map<string, string>,
  testsByLabel: Map<string, string>,
): string | null {
  const outputs =
    spawn.listedOutputs.length > 0 ? spawn.listedOutputs : spawn.actualOutputs.map((f) => f.path);
  for (const out of outputs) {
    const id = byOutput.get(out);
    if (id !== undefined) return id;
  }
  if (spawn.mnemonic !== 'TestRunner') return null;
  for (const out of outputs) {
    const id = testsByDir.get(dirname(out));
    if (id !== undefined) return id;
  }
  const label =
    spawn.label ?? (spawn.progressMessage ? labelInMessage(spawn.progressMessage) : null);
  return label ? (testsByLabel.get(label) ?? null) : null;
}
