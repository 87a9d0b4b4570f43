/**
 * Writes spawns as Bazel's own `--execution_log_json_file` format (SpawnExec JSON objects,
 * concatenated), so every reader of execution logs (`rbl log`, `rbl explain`) reads what the
 * store keeps. Text goes through `redact` first: the store never holds a secret.
 */
import type { Spawn, SpawnFile } from '../execlog/types';

export type Redact = (text: string) => string;

function file(f: SpawnFile, redact: Redact): Record<string, unknown> {
  return {
    path: redact(f.path),
    ...(f.digest ? { digest: { hash: f.digest.hash, sizeBytes: String(f.digest.sizeBytes) } } : {}),
    ...(f.isTool ? { isTool: true } : {}),
    ...(f.symlinkTarget ? { symlinkTargetPath: redact(f.symlinkTarget) } : {}),
  };
}

/** Env values whose name looks secret are masked even when no other rule caught them. */
const SECRET_NAME =
  /(TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|COOKIE|SESSION)/i;

export function spawnToJson(spawn: Spawn, redact: Redact): Record<string, unknown> {
  return {
    commandArgs: spawn.args.map(redact),
    environmentVariables: spawn.env.map((v) => ({
      name: v.name,
      value: SECRET_NAME.test(v.name) ? '***' : redact(v.value),
    })),
    platform: { properties: spawn.platform.map((p) => ({ name: p.name, value: redact(p.value) })) },
    inputs: spawn.inputs.map((f) => file(f, redact)),
    listedOutputs: [...spawn.listedOutputs],
    remotable: spawn.remotable,
    cacheable: spawn.cacheable,
    timeoutMillis: String(spawn.timeoutMillis),
    mnemonic: spawn.mnemonic,
    actualOutputs: spawn.actualOutputs.map((f) => file(f, redact)),
    runner: spawn.runner,
    cacheHit: spawn.cacheHit,
    status: spawn.status,
    exitCode: spawn.exitCode,
    remoteCacheable: spawn.remoteCacheable,
    ...(spawn.label ? { targetLabel: spawn.label } : {}),
    ...(spawn.progressMessage ? { progressMessage: redact(spawn.progressMessage) } : {}),
    ...(spawn.digest
      ? { digest: { hash: spawn.digest.hash, sizeBytes: String(spawn.digest.sizeBytes) } }
      : {}),
    ...(spawn.wallTimeMs !== null ? { metrics: { totalTime: `${spawn.wallTimeMs / 1000}s` } } : {}),
  };
}

/** The whole log as concatenated pretty-printed JSON objects, as Bazel writes it. */
export function spawnsToJsonLog(spawns: readonly Spawn[], redact: Redact): string {
  return spawns.map((s) => JSON.stringify(spawnToJson(s, redact), null, 2)).join('');
}
