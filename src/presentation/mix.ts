import type { Action, Invocation } from '../model/types';
import { formatPercent, joinParts } from './format';

/**
 * The cache/remote mix of one invocation, with CONTRACT.md's denominators: the rates come from
 * the model (cache-served spawns / all spawns, remotely executed spawns / all spawns), and the
 * count is the actions that ran a spawn or may still turn out to (internal ones never do).
 */
export interface Mix {
  actions: number;
  /** The execution log (where actions ran) has not been joined yet: 4.2.3 writes it at the end. */
  locationsPending: boolean;
  cacheHitRate: number | null;
  remoteRate: number | null;
}

export function mixOf(invocation: Invocation, actions: readonly Action[]): Mix {
  const spawning = actions.filter((a) => a.location !== 'internal');
  return {
    actions: spawning.length,
    locationsPending: invocation.execLog === 'pending',
    cacheHitRate: invocation.cacheHitRate,
    remoteRate: invocation.remoteRate,
  };
}

/**
 * `212 actions · 81% cached · 15% remote`; `up to date` for a finished build that ran nothing;
 * `212 actions · locations pending` until the execution log says where they ran.
 */
export function formatMix(mix: Mix, finished: boolean): string {
  if (mix.actions === 0) return finished ? 'up to date' : 'no actions yet';
  const count = `${mix.actions} action${mix.actions === 1 ? '' : 's'}`;
  if (mix.locationsPending && mix.cacheHitRate === null) return `${count} · locations pending`;
  return joinParts([
    count,
    mix.cacheHitRate === null ? null : `${formatPercent(mix.cacheHitRate)} cached`,
    mix.remoteRate === null ? null : `${formatPercent(mix.remoteRate)} remote`,
  ]);
}

/**
 * Live rates while the execution log is still pending: counted from the actions whose location
 * is already known, so the status bar moves during the build. Null when none is known yet.
 */
export function liveRates(actions: readonly Action[]): {
  cacheHitRate: number | null;
  remoteRate: number | null;
} {
  const known = actions.filter((a) => a.location !== null && a.location !== 'internal');
  if (known.length === 0) return { cacheHitRate: null, remoteRate: null };
  const cached = known.filter((a) => a.location === 'remote-cache' || a.location === 'disk-cache');
  const remote = known.filter((a) => a.location === 'remote');
  return { cacheHitRate: cached.length / known.length, remoteRate: remote.length / known.length };
}
