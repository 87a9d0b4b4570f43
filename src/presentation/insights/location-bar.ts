import type { ActionLocation } from '../../model/types';
import { formatPercent } from '../format';
import { LOCATION_KEYS, locationKeyOf, locationStyle, type LocationKey } from '../location-style';

/** One segment of the per-invocation location bar. */
export interface LocationSegment {
  key: LocationKey;
  /** The tree's words for the location (`remote cache hit`). */
  title: string;
  count: number;
  /** Share of all actions in [0, 1]. */
  share: number;
  /** `81%`, rounded down as everywhere else. */
  percentText: string;
  /**
   * CSS custom property of the tree's theme colour (`--vscode-charts-green`), so the bar and the
   * tree's icons match in every theme.
   */
  colorVar: string;
}

export interface LocationBar {
  /** Actions counted: every action but those Bazel ran inside its own process. */
  total: number;
  /**
   * Actions that ran inside Bazel (no spawn: symlink trees, file writes). Left out of the bar so
   * its shares use the CONTRACT's spawn denominators, the same as the tree's and status bar's mix.
   */
  internal: number;
  /** Non-empty segments in the legend order of the tree's group-by-location view. */
  segments: LocationSegment[];
}

/**
 * VS Code exposes theme colour `a.b` to webviews as `--vscode-a-b`. A location without a colour
 * (pending: the tree shows a spinner in the foreground colour) uses the description colour so
 * the segment stays visible but muted.
 */
export function cssColorVar(themeColor: string | null): string {
  return `--vscode-${(themeColor ?? 'descriptionForeground').replace(/\./g, '-')}`;
}

export function locationBar(
  actions: readonly { success: boolean; location: ActionLocation | null }[],
): LocationBar {
  const counts = new Map<LocationKey, number>();
  for (const action of actions) {
    const key = locationKeyOf(action);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const internal = counts.get('internal') ?? 0;
  const total = actions.length - internal;
  const segments: LocationSegment[] = [];
  for (const key of LOCATION_KEYS) {
    const count = counts.get(key) ?? 0;
    if (count === 0 || key === 'internal') continue;
    const style = locationStyle(key);
    segments.push({
      key,
      title: style.title,
      count,
      share: count / total,
      percentText: formatPercent(count / total),
      colorVar: cssColorVar(style.color),
    });
  }
  return { total, internal, segments };
}
