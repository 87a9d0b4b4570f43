/**
 * Decides the Bazel command line `rbl build` runs: the user's, plus our ids, the BES backend (or a
 * BEP file in socket-free mode), a bounded `--bes_timeout`, `--build_event_publish_all_actions`
 * and an execution log in a private temp dir, unless the user's effective options already write
 * one (then we read theirs: Bazel >= 7 rejects two) or already name a BES backend (then we forward
 * to it, and print their results URL).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import type { BazelSupport } from './bazel-binary';
import { findFlags, lastFlag, splitCommandLine, type BazelCommandLine } from './command-line';

export type ExecLogFlag =
  | 'execution_log_compact_file'
  | 'experimental_execution_log_compact_file'
  | 'execution_log_binary_file'
  | 'execution_log_json_file'
  | 'experimental_execution_log_file';

const EXEC_LOG_FLAGS: ExecLogFlag[] = [
  'execution_log_compact_file',
  'experimental_execution_log_compact_file',
  'execution_log_binary_file',
  'execution_log_json_file',
  'experimental_execution_log_file',
];

export interface PlanRequest {
  /** The user's command line after `rbl build --`. */
  argv: readonly string[];
  cwd: string;
  support: BazelSupport;
  /** Option words the rc files give this command (see rc-options.ts). */
  rcWords: readonly string[];
  /** Private temp dir for our execution log / BEP file. */
  tempDir: string;
  /** `grpc://127.0.0.1:PORT` of our sink, or null in socket-free (BEP file) mode. */
  sinkUrl: string | null;
  /** Add --build_event_publish_all_actions (default true; costs Bazel memory on huge builds). */
  publishAllActions: boolean;
  /** Seconds Bazel may wait for the upload after the build. */
  besTimeoutSecs: number;
}

export interface BuildPlan {
  argv: string[];
  command: string;
  invocationId: string;
  buildRequestId: string;
  /** The execution log we read after the build (ours or the user's), null when none. */
  execLog: { flag: ExecLogFlag; path: string; ours: boolean } | null;
  /** Socket-free mode: the BEP binary file to tail. */
  bepFile: string | null;
  /** The user's own BES backend (events are forwarded to it), if any. */
  userBesBackend: string | null;
  userResultsUrl: string | null;
  /**
   * The JSON trace profile we read action times from (ours or the user's `--profile`), or null
   * when the execution log has its own times (compact logs, Bazel >= 7.1) or there is no log.
   */
  profile: { path: string; ours: boolean } | null;
}

/** Flags that must not be given twice: removed from the user's explicit args when we set them. */
function withoutFlags(args: readonly string[], names: readonly string[]): string[] {
  const drop = new Set(
    findFlags(args)
      .filter((u) => names.includes(u.name))
      .flatMap((u) => u.indexes),
  );
  return args.filter((_, i) => !drop.has(i));
}

function execLogPlan(req: PlanRequest, effective: string[]): BuildPlan['execLog'] {
  const uses = findFlags(effective);
  for (const flag of EXEC_LOG_FLAGS) {
    const value = lastFlag(uses, flag);
    if (value !== undefined && value !== '') {
      return {
        flag,
        path: path.resolve(req.cwd, value.replace(/^%workspace%/, req.cwd)),
        ours: false,
      };
    }
  }
  const flags = req.support.flags;
  const flag: ExecLogFlag | undefined = flags.has('execution_log_compact_file')
    ? 'execution_log_compact_file'
    : flags.has('experimental_execution_log_compact_file')
      ? 'experimental_execution_log_compact_file'
      : flags.has('execution_log_binary_file')
        ? 'execution_log_binary_file'
        : undefined;
  if (!flag) return null;
  const name = flag.includes('compact') ? 'exec.log.zst' : 'exec.log.bin';
  return { flag, path: path.join(req.tempDir, name), ours: true };
}

/**
 * Bazel 4.x-6.x execution logs carry no per-spawn time; the profile does (src/profile). A
 * user's `--profile` is read where it is; else we ask for one in our temp dir.
 */
function profilePlan(
  req: PlanRequest,
  effective: string[],
  execLog: BuildPlan['execLog'],
): BuildPlan['profile'] {
  if (!execLog || execLog.flag.includes('compact')) return null;
  const theirs = lastFlag(findFlags(effective), 'profile');
  if (theirs !== undefined && theirs !== '') {
    return { path: path.resolve(req.cwd, theirs.replace(/^%workspace%/, req.cwd)), ours: false };
  }
  return { path: path.join(req.tempDir, 'profile.json'), ours: true };
}

function checkUuid(value: string | undefined, flag: string): void {
  if (
    value !== undefined &&
    !/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  ) {
    throw new UsageError(`--${flag}=${value}: not a UUID (Bazel would reject it)`);
  }
}

export function planBuild(req: PlanRequest): BuildPlan {
  const line: BazelCommandLine = splitCommandLine(req.argv);
  if (!line.command)
    throw new UsageError('rbl build: no Bazel command after -- (e.g. rbl build -- build //...)');
  const explicit = findFlags(line.args);
  const effective = [...req.rcWords, ...line.args];
  const uses = findFlags(effective);
  const invocationId = lastFlag(explicit, 'invocation_id') ?? randomUUID();
  const buildRequestId = lastFlag(explicit, 'build_request_id') ?? `rbl-${randomUUID()}`;
  checkUuid(invocationId, 'invocation_id');
  checkUuid(buildRequestId, 'build_request_id');
  const userBes = lastFlag(uses, 'bes_backend');
  const execLog = execLogPlan(req, effective);
  // Flags the user may override go first; the ones the sink depends on go after the user's
  // options, so a `--config` expanded there cannot replace them (last value wins in Bazel).
  const ours: string[] = [];
  const last: string[] = [
    `--invocation_id=${invocationId}`,
    `--build_request_id=${buildRequestId}`,
  ];
  let bepFile: string | null = null;
  if (req.sinkUrl) {
    last.push(`--bes_backend=${req.sinkUrl}`, `--bes_timeout=${req.besTimeoutSecs}s`);
  } else {
    const theirs = lastFlag(uses, 'build_event_binary_file');
    bepFile = theirs ? path.resolve(req.cwd, theirs) : path.join(req.tempDir, 'bep.bin');
    if (!theirs) last.push(`--build_event_binary_file=${bepFile}`);
  }
  const publish = lastFlag(uses, 'build_event_publish_all_actions');
  if (
    req.publishAllActions &&
    publish === undefined &&
    req.support.flags.has('build_event_publish_all_actions')
  ) {
    ours.push('--build_event_publish_all_actions');
  }
  if (execLog?.ours) ours.push(`--${execLog.flag}=${execLog.path}`);
  const profile = profilePlan(req, effective, execLog);
  if (profile?.ours) ours.push(`--profile=${profile.path}`);
  const userArgs = withoutFlags(line.args, [
    'invocation_id',
    'build_request_id',
    ...(req.sinkUrl ? ['bes_backend', 'bes_timeout'] : []),
  ]);
  return {
    argv: [...line.startup, line.command, ...ours, ...userArgs, ...last, ...line.tail],
    command: line.command,
    invocationId,
    buildRequestId,
    execLog,
    bepFile,
    userBesBackend: req.sinkUrl && userBes ? userBes : null,
    userResultsUrl: lastFlag(uses, 'bes_results_url') ?? null,
    profile,
  };
}
