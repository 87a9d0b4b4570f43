import type { Action } from '../../model/types';
import { baseName, formatDuration, shortLabel } from '../format';
import { NO_TARGET } from '../grouping';
import { locationKeyOf, locationStyle, type LocationKey } from '../location-style';

export interface SlowAction {
  label: string;
  mnemonic: string;
  /** The primary output's file name, so two actions of one target can be told apart. */
  output: string | null;
  locationKey: LocationKey;
  locationTitle: string;
  durationMs: number;
  durationText: string;
}

export interface SlowestActions {
  /** The slowest timed actions, slowest first. */
  actions: SlowAction[];
  /** How many actions had a time at all (Bazel 4.2.3 times none but tests' spawns). */
  timed: number;
}

/** The `limit` slowest actions among those Bazel gave a time for; ties keep model order. */
export function slowestActions(actions: readonly Action[], limit = 10): SlowestActions {
  const timed = actions.filter(
    (a): a is Action & { durationMs: number } =>
      a.durationMs !== null && Number.isFinite(a.durationMs),
  );
  const sorted = timed
    .map((action, index) => ({ action, index }))
    .sort((x, y) => y.action.durationMs - x.action.durationMs || x.index - y.index)
    .slice(0, limit);
  return {
    timed: timed.length,
    actions: sorted.map(({ action }) => {
      const key = locationKeyOf(action);
      return {
        label: action.label === null ? NO_TARGET : shortLabel(action.label),
        mnemonic: action.mnemonic,
        output: action.primaryOutput === null ? null : baseName(action.primaryOutput),
        locationKey: key,
        locationTitle: locationStyle(key).title,
        durationMs: action.durationMs,
        durationText: formatDuration(action.durationMs),
      };
    }),
  };
}
