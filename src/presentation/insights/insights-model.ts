import type { BuildModelView, Invocation } from '../../model/types';
import { invocationRow } from '../rows';
import { parseCriticalPath } from './critical-path';
import { failedActions } from './failed';
import { historyChart } from './history-chart';
import { locationBar } from './location-bar';
import type { HostMessage, InvocationInsights } from './messages';
import { slowestActions } from './slowest';

export const NO_BUILDS_TEXT =
  'No builds yet. Run Remote Build Lens: Build… and the pictures appear here.';

/**
 * The message that shows `selectedId`, or the newest build when it is null or no longer known
 * (a cleared history): what the panel posts on every coalesced model change.
 */
export function insightsMessage(
  view: BuildModelView,
  selectedId: string | null,
  now: number,
): HostMessage {
  const invocations = view.invocations();
  if (invocations.length === 0) return { type: 'empty', text: NO_BUILDS_TEXT };
  const selected = selectedId === null ? undefined : view.invocation(selectedId);
  const invocation = selected ?? newest(invocations);
  return {
    type: 'update',
    followingLatest: selected === undefined,
    invocation: invocationInsights(view, invocation, now),
    history: historyChart(invocations),
  };
}

/** The most recently started invocation (a running one counts: it is what the user watches). */
function newest(invocations: readonly Invocation[]): Invocation {
  let best = invocations[0];
  for (const inv of invocations) {
    if ((inv.startedAt ?? -Infinity) > (best.startedAt ?? -Infinity)) best = inv;
  }
  return best;
}

export function invocationInsights(
  view: BuildModelView,
  invocation: Invocation,
  now: number,
): InvocationInsights {
  const actions = view.actions(invocation.id);
  const row = invocationRow(invocation, actions, now);
  // A live invocation has the field (null until BuildToolLogs); one rebuilt from a stored
  // summary does not, and the summary itself may predate the field.
  const text =
    invocation.criticalPath !== undefined
      ? invocation.criticalPath
      : (view.summary(invocation.id)?.criticalPath ?? null);
  const criticalPath = parseCriticalPath(text);
  return {
    invocationId: invocation.id,
    title: row.label,
    summary: row.description,
    running: invocation.state === 'running',
    bar: locationBar(actions),
    slowest: slowestActions(actions),
    failed: failedActions(actions),
    criticalPath,
    criticalPathNote:
      criticalPath !== null
        ? null
        : invocation.state === 'running'
          ? 'Bazel reports the critical path when the build ends.'
          : 'Bazel did not report a critical path for this build.',
  };
}
