/**
 * Completes an invocation with its execution log: where each action ran, whether it was cached,
 * the derived processes line and the rates. Before this, actions are "finished, location pending".
 */
import type { Spawn } from '../execlog/types';
import { labelInMessage } from './action-output';
import { joinSpawns } from './exec-log-join';
import type { InvocationRecord } from './invocation-record';
import { locate, type LocationContext } from './location';
import { cacheSetup, majorVersion } from './options';
import { compareProcesses, deriveByRunner, type CountedSpawn } from './processes';
import type { Action, ActionSpawn } from './types';

export function locationContext(record: InvocationRecord): LocationContext {
  return {
    bazelMajor: majorVersion(record.invocation.bazelVersion),
    cache: cacheSetup(record.invocation.options),
  };
}

function toActionSpawn(spawn: Spawn, ctx: LocationContext): ActionSpawn {
  const { location, reason } = locate(spawn.runner, ctx);
  return {
    runner: spawn.runner,
    location,
    locationReason: reason,
    cacheHit: spawn.cacheHit,
    exitCode: spawn.exitCode,
    status: spawn.status,
    outputs: [...spawn.listedOutputs],
    mnemonic: spawn.mnemonic,
    durationMs: spawn.wallTimeMs,
  };
}

function spawnSucceeded(spawn: Spawn): boolean {
  return spawn.status === '' && spawn.exitCode === 0;
}

function fillFromSpawns(action: Action, spawns: ActionSpawn[]): void {
  action.spawns = spawns;
  const first = spawns[0];
  if (!first) {
    action.runner = 'internal';
    action.location = 'internal';
    action.locationReason = 'Bazel ran this action in its own process (no spawn)';
    action.cacheHit = false;
    return;
  }
  action.runner = first.runner;
  action.location = first.location;
  action.locationReason = first.locationReason;
  action.cacheHit = spawns.every((s) => s.cacheHit);
  for (const s of spawns)
    for (const out of s.outputs) if (!action.outputs.includes(out)) action.outputs.push(out);
  if (action.durationMs === null && spawns.every((s) => s.durationMs !== null)) {
    action.durationMs = spawns.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  }
}

function orphanAction(record: InvocationRecord, spawn: Spawn): Action {
  const label =
    spawn.label ?? (spawn.progressMessage ? labelInMessage(spawn.progressMessage) : null);
  const primaryOutput = spawn.listedOutputs[0] ?? null;
  return {
    id: `spawn-${spawn.index}`,
    invocationId: record.id,
    label,
    mnemonic: spawn.mnemonic,
    outputs: [],
    primaryOutput,
    configuration: null,
    runner: null,
    location: null,
    locationReason: null,
    cacheHit: null,
    success: spawnSucceeded(spawn),
    exitCode: spawn.exitCode,
    durationMs: null,
    finishedAt: null,
    stdout: '',
    stderr: '',
    failureMessage: spawn.status === '' ? null : spawn.status,
    spawns: [],
  };
}

/** Joins `spawns` (the whole log of this invocation) and records every change. */
export function applyExecLog(
  record: InvocationRecord,
  spawns: readonly Spawn[],
  recorder: (id: string, added: boolean) => void,
): void {
  const ctx = locationContext(record);
  const actions = [...record.actions.values()];
  const { byAction, orphans } = joinSpawns(actions, spawns);
  const counted: CountedSpawn[] = [];
  for (const action of actions) {
    const own = (byAction.get(action.id) ?? [])
      .map((i) => spawns[i])
      .filter((s): s is Spawn => s !== undefined);
    fillFromSpawns(
      action,
      own.map((s) => toActionSpawn(s, ctx)),
    );
    const message = own[0]?.progressMessage;
    if (message) record.setProgressMessage(action.id, message);
    for (const s of own) counted.push({ runner: s.runner, actionSucceeded: action.success });
    recorder(action.id, false);
  }
  for (const index of orphans) {
    const spawn = spawns[index];
    if (!spawn) continue;
    const action = orphanAction(record, spawn);
    fillFromSpawns(action, [toActionSpawn(spawn, ctx)]);
    if (spawn.progressMessage) record.setProgressMessage(action.id, spawn.progressMessage);
    record.putAction(action);
    counted.push({ runner: spawn.runner, actionSucceeded: action.success });
    recorder(action.id, true);
  }
  const inv = record.invocation;
  inv.execLog = 'joined';
  inv.processes.byRunner = deriveByRunner(record.executedActions, counted);
  inv.processes.mismatch = compareProcesses(inv.processes.byRunner, inv.processes.bazel);
  const total = spawns.length;
  inv.cacheHitRate = total === 0 ? null : spawns.filter((s) => s.cacheHit).length / total;
  inv.remoteRate = total === 0 ? null : spawns.filter((s) => s.runner === 'remote').length / total;
  record.attachOutput();
  record.touch();
}

/** No log will come (the user's flags or a read error): say so instead of "pending" forever. */
export function markExecLogUnavailable(record: InvocationRecord, why: string): void {
  const inv = record.invocation;
  inv.execLog = 'unavailable';
  inv.processes.mismatch = inv.processes.bazel
    ? `execution log unavailable (${why}): runners not derived`
    : null;
  record.touch();
}
