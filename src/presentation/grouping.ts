import type { Action, Target } from '../model/types';

/** Which actions the tree shows: all, only the ones that missed every cache, only failures. */
export type ActionFilter = 'all' | 'misses' | 'failures';

export function passesFilter(action: Action, filter: ActionFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'failures':
      return !action.success;
    case 'misses':
      // A miss ran a spawn that no cache served; pending rows stay until the log says.
      return action.location !== 'internal' && action.cacheHit !== true;
  }
}

/** The id of the group that holds actions with no target (the workspace status action, ...). */
export const NO_TARGET = '(no target)';

/**
 * Actions under their targets, in the order they finished. A label built in several
 * configurations has several targets; an action goes to the one whose configuration matches
 * (target ids end with the configuration), else to the first with its label.
 */
export function groupActionsByTarget(
  targets: readonly Target[],
  actions: readonly Action[],
  filter: ActionFilter,
): Map<string, Action[]> {
  const byLabel = new Map<string, Target[]>();
  for (const target of targets) {
    const list = byLabel.get(target.label) ?? [];
    list.push(target);
    byLabel.set(target.label, list);
  }
  const groups = new Map<string, Action[]>();
  for (const action of actions) {
    if (!passesFilter(action, filter)) continue;
    const candidates = action.label === null ? undefined : byLabel.get(action.label);
    const target =
      candidates?.find(
        (t) => action.configuration !== null && t.id.endsWith(action.configuration),
      ) ?? candidates?.[0];
    const key = target?.id ?? NO_TARGET;
    const list = groups.get(key) ?? [];
    list.push(action);
    groups.set(key, list);
  }
  return groups;
}
