import { createHash } from 'node:crypto';
import type { Spawn, SpawnFile } from '../../../src/execlog/types';

/**
 * A tiny build executor for unit tests: it runs declared actions in order and gives each output
 * a digest computed from everything the action reads (command line, env, platform, input
 * digests), the way a hermetic build behaves. A change to a source therefore reaches exactly the
 * actions downstream of it, as in a real build, without any expected result written by hand.
 */
export interface ActionSpec {
  outputs: string[];
  inputs?: string[];
  tools?: string[];
  args?: string[];
  env?: Record<string, string>;
  platform?: Record<string, string>;
  mnemonic?: string;
  label?: string | null;
  progressMessage?: string | null;
  /** Mixed into the outputs only: a non-hermetic action (e.g. one that reads a uuid). */
  nonce?: string;
  exitCode?: number;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function file(path: string, hash: string | null, isTool = false): SpawnFile {
  return {
    path,
    digest: hash === null ? null : { hash, sizeBytes: 10 },
    isTool,
    symlinkTarget: null,
  };
}

/** Runs `actions` over `sources` (path -> content) and returns the spawns a log would hold. */
export function simulateBuild(sources: Record<string, string>, actions: ActionSpec[]): Spawn[] {
  const digests = new Map<string, string>();
  for (const [path, content] of Object.entries(sources)) digests.set(path, sha(content));
  return actions.map((spec, index) => {
    const toolSet = new Set(spec.tools ?? []);
    const inputPaths = [...(spec.inputs ?? []), ...(spec.tools ?? [])].sort();
    const inputs = inputPaths.map((p) => {
      const hash = digests.get(p);
      if (hash === undefined) throw new Error(`simulated build: ${p} is read before it exists`);
      return file(p, hash, toolSet.has(p));
    });
    const env = Object.entries(spec.env ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value }));
    const platform = Object.entries(spec.platform ?? {}).map(([name, value]) => ({ name, value }));
    const args = spec.args ?? ['/bin/bash', '-c', `touch ${spec.outputs.join(' ')}`];
    const key = JSON.stringify([args, env, platform, inputs.map((f) => [f.path, f.digest?.hash])]);
    const outputs = [...spec.outputs].sort();
    const actualOutputs = outputs.map((p) => {
      const hash = sha(`${key}\n${p}\n${spec.nonce ?? ''}`);
      digests.set(p, hash);
      return file(p, hash);
    });
    return {
      index,
      mnemonic: spec.mnemonic ?? 'Genrule',
      label: spec.label === undefined ? null : spec.label,
      progressMessage: spec.progressMessage ?? null,
      args,
      env,
      platform,
      inputs,
      listedOutputs: outputs,
      actualOutputs,
      runner: 'linux-sandbox',
      cacheHit: false,
      status: spec.exitCode ? 'NON_ZERO_EXIT' : '',
      exitCode: spec.exitCode ?? 0,
      remotable: true,
      cacheable: true,
      remoteCacheable: true,
      timeoutMillis: 0,
      digest: null,
      wallTimeMs: null,
    } satisfies Spawn;
  });
}

/** A two-step chain from in.txt (s1 → s2), with an independent constant action or without. */
export function chain(withConstant: boolean): ActionSpec[] {
  return [
    { outputs: ['bazel-out/k8/bin/s1'], inputs: ['in.txt'], label: '//p:s1' },
    { outputs: ['bazel-out/k8/bin/s2'], inputs: ['bazel-out/k8/bin/s1'], label: '//p:s2' },
    ...(withConstant ? [{ outputs: ['bazel-out/k8/bin/c'], label: '//p:c' }] : []),
  ];
}
