import type { ActionLocation } from '../model/types';

/**
 * How each place an action ran looks in the editor: a codicon id, a theme colour id (so every
 * theme, high contrast included, recolours it) and the words a tooltip uses. Kept as data, not in
 * the tree provider, so the mapping is tested in plain Node and stays the same in every view.
 */
export interface LocationStyle {
  /** Codicon id, e.g. `cloud`; `~spin` animates it. */
  icon: string;
  /** Theme colour id, or null for the default foreground. */
  color: string | null;
  /** Human words, e.g. `remote cache hit`. */
  title: string;
}

/** A row key: a model location, `pending` while Bazel has not said, `failed` for failures. */
export type LocationKey = ActionLocation | 'pending' | 'failed';

const STYLES: Record<LocationKey, LocationStyle> = {
  remote: { icon: 'cloud', color: 'charts.blue', title: 'remote execution' },
  'remote-cache': { icon: 'cloud-download', color: 'charts.green', title: 'remote cache hit' },
  'disk-cache': { icon: 'database', color: 'charts.purple', title: 'disk cache hit' },
  local: { icon: 'device-desktop', color: 'charts.orange', title: 'local (sandboxed)' },
  worker: { icon: 'server-process', color: 'charts.yellow', title: 'persistent worker' },
  internal: { icon: 'gear', color: 'disabledForeground', title: 'inside Bazel (no spawn)' },
  unknown: { icon: 'question', color: 'charts.foreground', title: 'unknown location' },
  pending: { icon: 'loading~spin', color: null, title: 'location pending' },
  failed: { icon: 'error', color: 'errorForeground', title: 'failed' },
};

export function locationStyle(key: LocationKey): LocationStyle {
  return STYLES[key];
}

/** The key a row shows: failure wins, then the location, `pending` while it is not known. */
export function locationKeyOf(action: {
  success: boolean;
  location: ActionLocation | null;
}): LocationKey {
  if (!action.success) return 'failed';
  return action.location ?? 'pending';
}

/** Every key, in the order a legend or a group-by-location view lists them. */
export const LOCATION_KEYS: readonly LocationKey[] = [
  'remote',
  'remote-cache',
  'disk-cache',
  'local',
  'worker',
  'internal',
  'unknown',
  'pending',
  'failed',
];
