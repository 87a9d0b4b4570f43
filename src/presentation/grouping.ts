import type { Action, Target } from '../model/types';
import { LOCATION_KEYS, locationKeyOf, type LocationKey } from './location-style';

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

/** What the actions of an invocation hang under: their targets, or where they ran. */
export type GroupBy = 'target' | 'location';

/**
 * Actions under where they ran (remote execution, remote cache hit, ..., failed), in the legend's
 * order, empty groups left out; the same filter as by target applies first.
 */
export function groupActionsByLocation(
  actions: readonly Action[],
  filter: ActionFilter,
): Map<LocationKey, Action[]> {
  const groups = new Map<LocationKey, Action[]>(LOCATION_KEYS.map((k) => [k, []]));
  for (const action of actions) {
    if (passesFilter(action, filter)) groups.get(locationKeyOf(action))?.push(action);
  }
  for (const [key, list] of groups) if (list.length === 0) groups.delete(key);
  return groups;
}
