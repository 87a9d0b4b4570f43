/** Where a spawn ran, from the runner Bazel reports (CONTRACT.md's table). */
import type { ActionLocation } from './types';
import type { CacheSetup } from './options';

export interface LocationContext {
  /** Bazel's major version; null when unknown (Debian's 4.2.3 reports none). */
  bazelMajor: number | null;
  cache: CacheSetup;
}

export interface Located {
  location: ActionLocation;
  reason: string | null;
}

const LOCAL_RUNNERS = new Set([
  'linux-sandbox',
  'processwrapper-sandbox',
  'darwin-sandbox',
  'sandboxed',
  'local',
  'standalone',
]);
const WORKER_RUNNERS = new Set(['worker', 'multiplex-worker']);

export function locate(runner: string, ctx: LocationContext): Located {
  if (runner === 'remote') return { location: 'remote', reason: null };
  if (runner === 'disk cache hit') return { location: 'disk-cache', reason: null };
  if (LOCAL_RUNNERS.has(runner)) return { location: 'local', reason: null };
  if (WORKER_RUNNERS.has(runner)) return { location: 'worker', reason: null };
  if (runner === 'remote cache hit') return remoteCacheHit(ctx);
  return {
    location: 'unknown',
    reason: `Bazel reported the runner '${runner}', which Remote Build Lens does not know`,
  };
}

/**
 * Bazel < 7 reports a `--disk_cache` hit as `remote cache hit` too, so which cache served it
 * follows from the caches in effect. An unknown version is treated as old: only Debian's build,
 * which is 4.2.3, leaves the version out.
 */
function remoteCacheHit(ctx: LocationContext): Located {
  if (ctx.bazelMajor !== null && ctx.bazelMajor >= 7)
    return { location: 'remote-cache', reason: null };
  const { diskCache, remoteCache } = ctx.cache;
  if (diskCache && !remoteCache) {
    return {
      location: 'disk-cache',
      reason: "Bazel < 7 names disk cache hits 'remote cache hit'; only --disk_cache was in effect",
    };
  }
  if (remoteCache && !diskCache) return { location: 'remote-cache', reason: null };
  if (diskCache && remoteCache) {
    return {
      location: 'unknown',
      reason:
        "Bazel < 7 reports disk and remote cache hits alike ('remote cache hit') and both --disk_cache and a remote cache were in effect",
    };
  }
  return {
    location: 'unknown',
    reason:
      "Bazel reported a cache hit ('remote cache hit') but no --disk_cache or remote cache option was seen",
  };
}
