import type { Spawn, SpawnFile } from '../execlog/types';
import { diffArgs } from './arg-diff';
import { spawnOf, type ActionNode } from './graph';
import { argWithoutConfig } from './paths';
import type { ActionDiff, ChangedInput } from './types';

type NamedValues = readonly { name: string; value: string }[];

/**
 * Compares two paired actions field by field. Returns null when nothing recorded differs. When
 * the pair was matched across configurations, paths and arguments are compared with each side's
 * `bazel-out/<config>/` segment normalised, so only what the configuration changed beyond the
 * directory name shows.
 */
export function diffActions(o: ActionNode, n: ActionNode): ActionDiff | null {
  const crossConfig = o.config !== null && n.config !== null && o.config !== n.config;
  const oldCfg = crossConfig ? o.config : null;
  const newCfg = crossConfig ? n.config : null;
  const os = spawnOf(o);
  const ns = spawnOf(n);
  // Same action key: everything Bazel hashes for the cache is equal, only outputs can differ.
  const sameKey =
    !crossConfig &&
    os.digest !== null &&
    ns.digest !== null &&
    os.digest.hash === ns.digest.hash &&
    os.digest.sizeBytes === ns.digest.sizeBytes;

  const diff: ActionDiff = {
    args: null,
    env: [],
    platform: [],
    inputsAdded: [],
    inputsRemoved: [],
    inputsChanged: [],
    outputsChanged: diffOutputs(os.actualOutputs, ns.actualOutputs, oldCfg, newCfg),
    configuration: crossConfig ? { old: o.config ?? '', new: n.config ?? '' } : null,
    exitCode: os.exitCode !== ns.exitCode ? { old: os.exitCode, new: ns.exitCode } : null,
  };
  if (!sameKey) {
    diff.args = crossConfig
      ? diffArgs(
          os.args.map((a) => argWithoutConfig(a, oldCfg ?? '')),
          ns.args.map((a) => argWithoutConfig(a, newCfg ?? '')),
        )
      : diffArgs(os.args, ns.args);
    diff.env = diffNamed(os.env, ns.env);
    diff.platform = diffNamed(os.platform, ns.platform);
    diffInputs(os.inputs, ns.inputs, oldCfg, newCfg, diff);
  }
  return isEmpty(diff) ? null : diff;
}

/**
 * True when nothing recorded differs, found without building a diff: the in-order walks
 * `diffActions` starts with, and nothing else. Most pairs of two builds are identical, so this
 * is the comparison that runs 10^5 times; false only means "look closer" (`diffActions`), e.g.
 * for inputs listed in another order or a pair across configurations.
 */
export function sameAction(o: ActionNode, n: ActionNode): boolean {
  if (o.config !== n.config) return false;
  const os = spawnOf(o);
  const ns = spawnOf(n);
  const key = contentKeyOf(os);
  if (key !== undefined && key === contentKeyOf(ns)) return true;
  if (os.exitCode !== ns.exitCode) return false;
  if (!sameFiles(os.actualOutputs, ns.actualOutputs)) return false;
  const sameKey =
    os.digest !== null &&
    ns.digest !== null &&
    os.digest.hash === ns.digest.hash &&
    os.digest.sizeBytes === ns.digest.sizeBytes;
  if (sameKey) return true;
  return (
    sameStrings(os.args, ns.args) &&
    sameNamed(os.env, ns.env) &&
    sameNamed(os.platform, ns.platform) &&
    sameFiles(os.inputs, ns.inputs)
  );
}

/**
 * A reader's content key of a spawn, where the reader offers one: a number equal for two spawns
 * whose arguments, environment, platform, inputs, tools, actual outputs, exit code and action
 * digest are all equal (NaN: none), which a reader of nested input sets can compute from its
 * interned entries without expanding a single input or decoding an argument. Unequal keys prove
 * nothing; `sameAction` then compares the expanded spawns.
 */
export function contentKeyOf(spawn: Spawn): number | undefined {
  const keyed = spawn as Spawn & { contentKey?: () => number };
  return typeof keyed.contentKey === 'function' ? keyed.contentKey() : undefined;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Same paths with the same content, in the same order (see `hashOf` for "same content"). */
function sameFiles(a: readonly SpawnFile[], b: readonly SpawnFile[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x.path !== y.path) return false;
    const dx = x.digest;
    const dy = y.digest;
    // Equal hashes with equally (non-)empty sizes are the same content whatever `hashOf` says.
    const fast =
      dx !== null &&
      dy !== null &&
      dx.hash === dy.hash &&
      (dx.sizeBytes !== 0) === (dy.sizeBytes !== 0);
    if (!fast && hashOf(x) !== hashOf(y)) return false;
  }
  return true;
}

/** True when the action's inputs, command line, env and platform are all the same. */
export function sameInputSide(diff: ActionDiff): boolean {
  return (
    diff.args === null &&
    diff.env.length === 0 &&
    diff.platform.length === 0 &&
    diff.inputsAdded.length === 0 &&
    diff.inputsRemoved.length === 0 &&
    diff.inputsChanged.length === 0 &&
    diff.configuration === null
  );
}

function isEmpty(diff: ActionDiff): boolean {
  return sameInputSide(diff) && diff.outputsChanged.length === 0 && diff.exitCode === null;
}

function diffNamed(
  oldValues: NamedValues,
  newValues: NamedValues,
): { name: string; old: string | null; new: string | null }[] {
  if (sameNamed(oldValues, newValues)) return [];
  const before = new Map(oldValues.map((v) => [v.name, v.value]));
  const after = new Map(newValues.map((v) => [v.name, v.value]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names
    .filter((name) => before.get(name) !== after.get(name))
    .map((name) => ({ name, old: before.get(name) ?? null, new: after.get(name) ?? null }));
}

function sameNamed(a: NamedValues, b: NamedValues): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].value !== b[i].value) return false;
  }
  return true;
}

/**
 * The content identity of a file. Empty files compare equal whether or not the log gave them a
 * digest (compact logs leave it out for runfiles' implicit empty files, e.g. `__init__.py`).
 */
function hashOf(file: SpawnFile): string | null {
  const d = file.digest;
  return d && d.sizeBytes !== 0 && !EMPTY_CONTENT.has(d.hash) ? d.hash : null;
}

/** Digests of zero bytes (SHA-256, BLAKE3, SHA-1), in case a log gives no usable size. */
const EMPTY_CONTENT = new Set([
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
  'da39a3ee5e6b4b0d3255bfef95601890afd80709',
]);

/** Rewrites a path of the given configuration onto the placeholder configuration. */
function normaliser(config: string | null): (path: string) => string {
  if (config === null) return (p) => p;
  const prefix = `bazel-out/${config}/`;
  return (p) => (p.startsWith(prefix) ? `bazel-out/{cfg}/${p.slice(prefix.length)}` : p);
}

function diffInputs(
  oldInputs: readonly SpawnFile[],
  newInputs: readonly SpawnFile[],
  oldCfg: string | null,
  newCfg: string | null,
  diff: ActionDiff,
): void {
  const normOld = normaliser(oldCfg);
  const normNew = normaliser(newCfg);
  // Cheap in-order walk first: logs list inputs in a stable order, so equal sets line up.
  if (oldInputs.length === newInputs.length) {
    let same = true;
    for (let i = 0; i < oldInputs.length && same; i++) {
      const a = oldInputs[i];
      const b = newInputs[i];
      // Interned files: an unchanged input is the same object on both sides.
      same = a === b || (normOld(a.path) === normNew(b.path) && hashOf(a) === hashOf(b));
    }
    if (same) return;
  }
  const before = new Map<string, SpawnFile>();
  for (const f of oldInputs) before.set(normOld(f.path), f);
  const seen = new Set<string>();
  for (const f of newInputs) {
    const key = normNew(f.path);
    seen.add(key);
    const was = before.get(key);
    if (!was) diff.inputsAdded.push(f.path);
    else if (hashOf(was) !== hashOf(f)) {
      diff.inputsChanged.push({
        path: f.path,
        oldHash: hashOf(was),
        newHash: hashOf(f),
        isTool: f.isTool || was.isTool,
      } satisfies ChangedInput);
    }
  }
  for (const [key, f] of before) if (!seen.has(key)) diff.inputsRemoved.push(f.path);
}

function diffOutputs(
  oldOutputs: readonly SpawnFile[],
  newOutputs: readonly SpawnFile[],
  oldCfg: string | null,
  newCfg: string | null,
): string[] {
  const normOld = normaliser(oldCfg);
  const normNew = normaliser(newCfg);
  if (oldOutputs.length === newOutputs.length) {
    let same = true;
    for (let i = 0; i < oldOutputs.length && same; i++) {
      const a = oldOutputs[i];
      const b = newOutputs[i];
      same = a === b || (normOld(a.path) === normNew(b.path) && hashOf(a) === hashOf(b));
    }
    if (same) return [];
  }
  const before = new Map<string, string | null>();
  for (const f of oldOutputs) before.set(normOld(f.path), hashOf(f));
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const f of newOutputs) {
    const key = normNew(f.path);
    seen.add(key);
    if (!before.has(key) || before.get(key) !== hashOf(f)) changed.push(f.path);
  }
  for (const f of oldOutputs) if (!seen.has(normOld(f.path))) changed.push(f.path);
  return changed;
}
