import { build } from '../gen/protos';

type ServerCapabilities = build.bazel.remote.execution.v2.IServerCapabilities;
type SemVer = build.bazel.semver.ISemVer;
const { DigestFunction, Compressor } = build.bazel.remote.execution.v2;

/** What a REAPI server says it supports, in the shape `rbl remote test --json` prints. */
export interface CapabilitiesSummary {
  cache: boolean;
  execution: boolean;
  apiVersions: { low: string | null; high: string | null };
  digestFunctions: string[];
  /** Whether clients may write action results (needed to upload local results). */
  actionCacheUpdate: boolean | null;
  /** Largest total size of one batch call; 0 means the server sets no limit. */
  maxBatchTotalSizeBytes: number | null;
  /** Largest blob the CAS accepts; 0 means no limit. */
  maxCasBlobSizeBytes: number | null;
  compressors: string[];
}

/** `2.0`, `2.0.1`, `2.1-beta`: major.minor, patch only when set, then any prerelease. */
export function formatSemVer(v: SemVer | null | undefined): string | null {
  if (!v) return null;
  const base = `${v.major ?? 0}.${v.minor ?? 0}${v.patch ? `.${v.patch}` : ''}`;
  return v.prerelease ? `${base}-${v.prerelease}` : base;
}

function enumName(names: Record<number, string>, value: number): string {
  return names[value] ?? `UNKNOWN(${value})`;
}

export function summarizeCapabilities(caps: ServerCapabilities): CapabilitiesSummary {
  const cacheCaps = caps.cacheCapabilities ?? null;
  const execCaps = caps.executionCapabilities ?? null;
  const digestNames = DigestFunction.Value as unknown as Record<number, string>;
  const digests = new Set<string>();
  for (const d of cacheCaps?.digestFunctions ?? []) digests.add(enumName(digestNames, d));
  if (execCaps?.digestFunction) digests.add(enumName(digestNames, execCaps.digestFunction));
  for (const d of execCaps?.digestFunctions ?? []) digests.add(enumName(digestNames, d));
  // Servers from before REAPI 2.0's low/high fields only set the deprecated single version.
  const legacy = formatSemVer(caps.deprecatedApiVersion);
  const compressorNames = Compressor.Value as unknown as Record<number, string>;
  return {
    cache: cacheCaps !== null,
    execution: execCaps?.execEnabled === true,
    apiVersions: {
      low: formatSemVer(caps.lowApiVersion) ?? legacy,
      high: formatSemVer(caps.highApiVersion) ?? legacy,
    },
    digestFunctions: [...digests],
    actionCacheUpdate: cacheCaps
      ? cacheCaps.actionCacheUpdateCapabilities?.updateEnabled === true
      : null,
    maxBatchTotalSizeBytes: cacheCaps ? Number(cacheCaps.maxBatchTotalSizeBytes ?? 0) : null,
    maxCasBlobSizeBytes: cacheCaps ? Number(cacheCaps.maxCasBlobSizeBytes ?? 0) : null,
    compressors: (cacheCaps?.supportedCompressors ?? []).map((c) => enumName(compressorNames, c)),
  };
}
