/** The CONTRACT's `--json` invocation summary, built from the model's state. */
import type { InvocationRecord } from './invocation-record';
import type { Action, ActionSpawn, InvocationSummary, SummaryAction } from './types';

function primaryOf(action: Action, spawn: ActionSpawn): string | null {
  if (action.primaryOutput && spawn.outputs.includes(action.primaryOutput))
    return action.primaryOutput;
  // A test's own spawn lists test.exited_prematurely, test.xml, ... but not test.log, which
  // is the action's primary output and what a user looks for; its test.xml spawn lists one file.
  if (action.mnemonic === 'TestRunner' && action.primaryOutput && spawn.outputs.length > 1) {
    return action.primaryOutput;
  }
  return spawn.outputs[0] ?? action.primaryOutput;
}

/** One entry per spawn, failed ones included (CONTRACT: "every spawn that Bazel ran or fetched"). */
function summaryActions(actions: Iterable<Action>): SummaryAction[] {
  const out: SummaryAction[] = [];
  for (const action of actions) {
    for (const spawn of action.spawns) {
      out.push({
        label: action.label,
        mnemonic: spawn.mnemonic || action.mnemonic,
        outputs: [...spawn.outputs],
        primaryOutput: primaryOf(action, spawn),
        runner: spawn.runner,
        location: spawn.location,
        locationReason: spawn.locationReason,
        cacheHit: spawn.cacheHit,
        success: spawn.status === '' && spawn.exitCode === 0,
        exitCode: spawn.exitCode,
        durationMs: spawn.durationMs ?? (action.spawns.length === 1 ? action.durationMs : null),
      });
    }
  }
  return out;
}

export function summarize(record: InvocationRecord): InvocationSummary {
  const inv = record.invocation;
  return {
    invocationId: inv.id,
    buildRequestId: inv.buildRequestId,
    command: inv.command,
    patterns: [...inv.patterns],
    state: inv.state,
    exitCode: inv.exitCode,
    besError: inv.besError,
    bazelVersion: inv.bazelVersion,
    startedAt: inv.startedAt,
    finishedAt: inv.finishedAt,
    processes: { ...inv.processes, byRunner: { ...inv.processes.byRunner } },
    cacheHitRate: inv.cacheHitRate,
    remoteRate: inv.remoteRate,
    criticalPath: inv.criticalPath ?? null,
    actions: summaryActions(record.actions.values()),
    targets: [...record.targets.values()].map((t) => ({ label: t.label, success: t.success })),
    tests: [...record.tests.values()].map((t) => ({
      label: t.label,
      status: t.status,
      durationMs: t.durationMs,
    })),
  };
}
