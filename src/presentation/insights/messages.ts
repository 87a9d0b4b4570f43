/**
 * The insights webview's protocol: everything the host sends is one of `HostMessage`, and
 * anything the webview sends is checked by `parseWebviewMessage` before it is acted on: a
 * message of an unknown type, with extra fields or with wrong field types is ignored. Build
 * strings travel only as data; the webview script puts them into the page with `textContent`.
 */
import type { CriticalPath } from './critical-path';
import type { FailedAction } from './failed';
import type { HistoryChart } from './history-chart';
import type { LocationBar } from './location-bar';
import type { SlowestActions } from './slowest';

/** One invocation's pictures. */
export interface InvocationInsights {
  invocationId: string;
  /** `build //gen:all //cc:all` */
  title: string;
  /** The tree row's description: result, elapsed time and mix. */
  summary: string;
  running: boolean;
  bar: LocationBar;
  slowest: SlowestActions;
  failed: FailedAction[];
  criticalPath: CriticalPath | null;
  /** Why there is no critical path, when there is none. */
  criticalPathNote: string | null;
}

export type HostMessage =
  /** No build in the live model or the history store. */
  | { type: 'empty'; text: string }
  | {
      type: 'update';
      /** True when the panel follows the newest build (opened from the title or palette). */
      followingLatest: boolean;
      invocation: InvocationInsights;
      history: HistoryChart;
    };

export type WebviewMessage =
  /** The script is loaded: send the current state. */
  | { type: 'ready' }
  /** A build picked in the history chart or table. */
  | { type: 'selectInvocation'; invocationId: string }
  /** Back to following the newest build. */
  | { type: 'followLatest' };

const MAX_ID = 200;

/** The message if it is exactly one of `WebviewMessage`, else null (ignored by the panel). */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort().join(',');
  switch (v.type) {
    case 'ready':
    case 'followLatest':
      return keys === 'type' ? { type: v.type } : null;
    case 'selectInvocation':
      return keys === 'invocationId,type' &&
        typeof v.invocationId === 'string' &&
        v.invocationId.length > 0 &&
        v.invocationId.length <= MAX_ID
        ? { type: 'selectInvocation', invocationId: v.invocationId }
        : null;
    default:
      return null;
  }
}
