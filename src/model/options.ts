/**
 * The effective command options of an invocation, as Bazel's `canonical` structured command line
 * gives them (rc files applied, last value wins), and the cache setup they imply.
 */
import type { StructuredCommandLine } from '../bep/types';

/** [name, value] pairs of the `command options` section, in order. */
export function canonicalOptions(line: StructuredCommandLine): [string, string][] | null {
  if (line.commandLineLabel !== 'canonical') return null;
  const section = line.sections?.find((s) => s.sectionLabel === 'command options');
  const options = section?.optionList?.option ?? [];
  return options.map((o) => [o.optionName ?? '', o.optionValue ?? '']);
}

/** The last value of option `name`, or undefined when it is not given. */
export function lastValue(options: readonly [string, string][], name: string): string | undefined {
  let value: string | undefined;
  for (const [n, v] of options) if (n === name) value = v;
  return value;
}

export interface CacheSetup {
  diskCache: boolean;
  /** A remote cache is in effect (`--remote_cache` or `--remote_executor`). */
  remoteCache: boolean;
  remoteExecution: boolean;
}

export function cacheSetup(options: readonly [string, string][]): CacheSetup {
  const set = (name: string): boolean => (lastValue(options, name) ?? '') !== '';
  return {
    diskCache: set('disk_cache'),
    remoteCache: set('remote_cache') || set('remote_executor'),
    remoteExecution: set('remote_executor'),
  };
}

/** Major version of a `buildToolVersion` such as `7.1.0` or `8.0.0rc1`; null when unknown. */
export function majorVersion(version: string | null): number | null {
  const m = version ? /^(\d+)\./.exec(version) : null;
  return m ? Number(m[1]) : null;
}
