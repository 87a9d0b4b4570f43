/**
 * BEP events as the rest of the core sees them: the protobuf JSON mapping shape
 * (lowerCamelCase keys, int64 as strings, enums as names), whether they came from a JSON
 * file, a binary file or the BES sink. Binary messages are converted to this shape by
 * `decode.ts`; JSON files are already in it. Only what we read is typed; payloads of kinds
 * we do not know stay as `unknown` keys.
 *
 * Timestamps and durations are strings (RFC 3339, `"1.5s"`) from JSON and
 * `{seconds, nanos}` objects from binary: read them with `timestampMs` / `durationMs`.
 */
export type Int64 = string | number;
export type Timestamp = string | { seconds?: Int64; nanos?: number };
export type Duration = string | { seconds?: Int64; nanos?: number };

export interface BepFile {
  pathPrefix?: string[];
  name?: string;
  uri?: string;
  /** base64 */
  contents?: string;
  symlinkTargetPath?: string;
  digest?: string;
  length?: Int64;
}

export interface ConfigurationId {
  id?: string;
}

export interface BepEventId {
  unknown?: { details?: string };
  progress?: { opaqueCount?: number };
  started?: Record<string, never>;
  unstructuredCommandLine?: Record<string, never>;
  structuredCommandLine?: { commandLineLabel?: string };
  workspaceStatus?: Record<string, never>;
  optionsParsed?: Record<string, never>;
  fetch?: { url?: string };
  configuration?: ConfigurationId;
  targetConfigured?: { label?: string; aspect?: string };
  pattern?: { pattern?: string[] };
  patternSkipped?: { pattern?: string[] };
  namedSet?: { id?: string };
  targetCompleted?: { label?: string; configuration?: ConfigurationId; aspect?: string };
  actionCompleted?: { primaryOutput?: string; label?: string; configuration?: ConfigurationId };
  unconfiguredLabel?: { label?: string };
  configuredLabel?: { label?: string; configuration?: ConfigurationId };
  testResult?: {
    label?: string;
    configuration?: ConfigurationId;
    run?: number;
    shard?: number;
    attempt?: number;
  };
  testProgress?: { label?: string; configuration?: ConfigurationId };
  testSummary?: { label?: string; configuration?: ConfigurationId };
  targetSummary?: { label?: string; configuration?: ConfigurationId };
  buildFinished?: Record<string, never>;
  buildToolLogs?: Record<string, never>;
  buildMetrics?: Record<string, never>;
  workspace?: Record<string, never>;
  buildMetadata?: Record<string, never>;
  convenienceSymlinksIdentified?: Record<string, never>;
  execRequest?: Record<string, never>;
  [other: string]: unknown;
}

export interface FailureDetail {
  message?: string;
  spawn?: { code?: string; catastrophic?: boolean; spawnExitCode?: number };
  [category: string]: unknown;
}

export type TestStatus =
  | 'NO_STATUS'
  | 'PASSED'
  | 'FLAKY'
  | 'TIMEOUT'
  | 'FAILED'
  | 'INCOMPLETE'
  | 'REMOTE_FAILURE'
  | 'FAILED_TO_BUILD'
  | 'TOOL_HALTED_BEFORE_TESTING';

export interface CommandLineOption {
  combinedForm?: string;
  optionName?: string;
  optionValue?: string;
  source?: string;
}

export interface StructuredCommandLine {
  commandLineLabel?: string;
  sections?: {
    sectionLabel?: string;
    chunkList?: { chunk?: string[] };
    optionList?: { option?: CommandLineOption[] };
  }[];
}

export interface BepEvent {
  id: BepEventId;
  children?: BepEventId[];
  lastMessage?: boolean;
  progress?: { stdout?: string; stderr?: string };
  aborted?: { reason?: string; description?: string };
  started?: {
    uuid?: string;
    startTimeMillis?: Int64;
    startTime?: Timestamp;
    buildToolVersion?: string;
    optionsDescription?: string;
    command?: string;
    workingDirectory?: string;
    workspaceDirectory?: string;
    serverPid?: Int64;
    host?: string;
    user?: string;
  };
  unstructuredCommandLine?: { args?: string[] };
  structuredCommandLine?: StructuredCommandLine;
  optionsParsed?: {
    startupOptions?: string[];
    explicitStartupOptions?: string[];
    cmdLine?: string[];
    explicitCmdLine?: string[];
    toolTag?: string;
  };
  workspaceStatus?: { item?: { key?: string; value?: string }[] };
  fetch?: { success?: boolean };
  configuration?: { mnemonic?: string; platformName?: string; cpu?: string; isTool?: boolean };
  expanded?: { testSuiteExpansions?: { suiteLabel?: string; testLabels?: string[] }[] };
  configured?: { targetKind?: string; testSize?: string; tag?: string[] };
  action?: {
    success?: boolean;
    type?: string;
    exitCode?: number;
    stdout?: BepFile;
    stderr?: BepFile;
    label?: string;
    configuration?: ConfigurationId;
    primaryOutput?: BepFile;
    commandLine?: string[];
    failureDetail?: FailureDetail;
    startTime?: Timestamp;
    endTime?: Timestamp;
  };
  namedSetOfFiles?: { files?: BepFile[]; fileSets?: { id?: string }[] };
  completed?: {
    success?: boolean;
    targetKind?: string;
    outputGroup?: { name?: string; fileSets?: { id?: string }[]; inlineFiles?: BepFile[] }[];
    importantOutput?: BepFile[];
    directoryOutput?: BepFile[];
    tag?: string[];
    failureDetail?: FailureDetail;
  };
  testResult?: {
    status?: TestStatus;
    statusDetails?: string;
    cachedLocally?: boolean;
    testAttemptStartMillisEpoch?: Int64;
    testAttemptStart?: Timestamp;
    testAttemptDurationMillis?: Int64;
    testAttemptDuration?: Duration;
    testActionOutput?: BepFile[];
    warning?: string[];
    executionInfo?: {
      strategy?: string;
      cachedRemotely?: boolean;
      exitCode?: number;
      hostname?: string;
    };
  };
  testSummary?: {
    overallStatus?: TestStatus;
    totalRunCount?: number;
    runCount?: number;
    attemptCount?: number;
    shardCount?: number;
    passed?: BepFile[];
    failed?: BepFile[];
    totalNumCached?: number;
    totalRunDurationMillis?: Int64;
    totalRunDuration?: Duration;
  };
  targetSummary?: { overallBuildSuccess?: boolean; overallTestStatus?: TestStatus };
  finished?: {
    overallSuccess?: boolean;
    exitCode?: { name?: string; code?: number };
    finishTimeMillis?: Int64;
    finishTime?: Timestamp;
    failureDetail?: FailureDetail;
  };
  buildMetrics?: {
    actionSummary?: {
      actionsCreated?: Int64;
      actionsExecuted?: Int64;
      runnerCount?: { name?: string; count?: number; execKind?: string }[];
    };
    timingMetrics?: { wallTimeInMs?: Int64; cpuTimeInMs?: Int64; criticalPathTime?: Duration };
    [metric: string]: unknown;
  };
  buildToolLogs?: { log?: BepFile[] };
  workspaceInfo?: { localExecRoot?: string };
  buildMetadata?: { metadata?: Record<string, string> };
  [payload: string]: unknown;
}

/** The key of the id oneof that is set (`started`, `actionCompleted`, ...), as BEP JSON names it. */
export function eventKind(event: BepEvent): string {
  for (const key in event.id) {
    if (event.id[key] !== undefined) return key;
  }
  return 'unknown';
}

function int(value: Int64 | undefined): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** Milliseconds since the epoch of a Timestamp in either shape, or null. */
export function timestampMs(ts: Timestamp | undefined): number | null {
  if (ts === undefined) return null;
  if (typeof ts === 'string') {
    const ms = Date.parse(ts);
    return Number.isNaN(ms) ? null : ms;
  }
  return int(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/** Milliseconds of a Duration in either shape (`"1.5s"` or `{seconds, nanos}`), or null. */
export function durationMs(d: Duration | undefined): number | null {
  if (d === undefined) return null;
  if (typeof d === 'string') {
    const m = /^(-?\d+(?:\.\d+)?)s$/.exec(d);
    return m ? Math.round(Number(m[1]) * 1000) : null;
  }
  return int(d.seconds) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}
