/**
 * One spawn of an execution log, the same whatever format it came from (binary or JSON
 * `SpawnExec` of any Bazel version, compact `ExecLogEntry` of 7.x/8.x). Readers produce it;
 * `rbl log`, the build model and the cache-miss explanation consume it.
 *
 * Absent facts are `null`, never guessed (4.2.3 logs have no label, digest or metrics).
 */
export interface SpawnDigest {
  hash: string;
  sizeBytes: number;
}

export interface SpawnFile {
  /** Exec-root relative path. */
  path: string;
  /** Null for unresolved symlinks, and where Bazel left it out (e.g. some empty files). */
  digest: SpawnDigest | null;
  /** True for inputs that are tools (compact logs say so; 4.2.3 logs do not, so false). */
  isTool: boolean;
  /** Target of an unresolved symlink, else null. */
  symlinkTarget: string | null;
}

export interface Spawn {
  /** Position in the log, 0-based: stable order for display and pairing ties. */
  index: number;
  mnemonic: string;
  /** Owning target (`//pkg:name`); null in Bazel 4.2.3 logs. */
  label: string | null;
  /** `Executing genrule //pkg:gen` etc.; only Bazel 4.2.3 logs have it, else null. */
  progressMessage: string | null;
  args: readonly string[];
  /** Environment in log order (Bazel sorts it by name). */
  env: readonly { name: string; value: string }[];
  /** Exec platform properties, in log order. */
  platform: readonly { name: string; value: string }[];
  /**
   * Every input file, directories and runfiles trees expanded, in log order. Readers may
   * compute it lazily (compact logs share input sets between spawns).
   */
  readonly inputs: readonly SpawnFile[];
  /** Declared outputs, sorted as Bazel lists them. */
  listedOutputs: readonly string[];
  /** Outputs that exist, with digests. */
  actualOutputs: readonly SpawnFile[];
  runner: string;
  cacheHit: boolean;
  /** Empty string on success, e.g. `NON_ZERO_EXIT`. */
  status: string;
  exitCode: number;
  remotable: boolean;
  cacheable: boolean;
  remoteCacheable: boolean;
  timeoutMillis: number;
  /** REAPI action digest (newer Bazel, with a cache enabled), else null. */
  digest: SpawnDigest | null;
  /** Wall time of the spawn in ms when the log has metrics, else null. */
  wallTimeMs: number | null;
  /**
   * A key equal for two spawns (of any logs this reader read) whose arguments, environment,
   * platform, inputs, tools, actual outputs, exit code and action digest are all equal, but for
   * a 2^-53 chance of a collision; unequal keys prove nothing, NaN is "no key". Only readers
   * that get it cheaper than expanding the spawn have it (compact logs: nested sets by id).
   */
  contentKey?(): number;
}

/** The formats `rbl log` reports (CONTRACT.md). */
export type LogFormat =
  'spawn-binary' | 'spawn-json' | 'compact' | 'bep-binary' | 'bep-json' | 'empty';
