import * as path from 'node:path';
import { parseFlags } from '../args';
import type { Command } from '../command';
import { printJson, say, type CliIO } from '../io';
import type { Action, InvocationSummary, SummaryAction } from '../../model/types';
import { runBuild } from '../../runner/build-session';
import { UsageError } from '../../util/errors';

const HELP = `Usage: rbl build [options] -- <bazel command> [bazel args...]

Runs Bazel in the workspace through a local Build Event Service sink (127.0.0.1, an ephemeral
port) and the execution log, and reports where every action ran: remote, remote-cache,
disk-cache, local, worker or unknown. Works for build, test and every command that builds.

Bazel's console passes through to stderr. One "rbl: " line per finished action goes to stderr as
Bazel reports it; where it ran is known when the execution log is written (Bazel 4.2.3 writes it
only at the end: until then an action is "location pending"). Without --json, one "rbl: " line
per spawn with its location follows at the end, and a summary line.

rbl adds --invocation_id, --build_request_id, --bes_backend, --bes_timeout,
--build_event_publish_all_actions and an execution log in a private temp dir. If your options
(command line or rc files) already write an execution log, rbl reads yours instead of adding a
second one; if they name a --bes_backend, rbl forwards every event to it and prints your
results URL. Secrets (--remote_header and similar values, URL user-info, secret-looking
--client_env values) are redacted in everything rbl prints or stores.

The invocation is recorded in the workspace's history store, <workspace>/.rbl/history/ (git-ignored).

Options:
  --json              print the invocation summary as one JSON object on stdout
  --bazel PATH        Bazel to run (default: bazelisk, else bazel on PATH)
  --cwd DIR           workspace directory (default: the current directory)
  --socket-free       no listening port: follow --build_event_binary_file instead (~0.3 s later)
  --no-all-actions    leave out --build_event_publish_all_actions (huge builds: Bazel memory)
  --bes-timeout SECS  how long Bazel may wait for the upload after the build (default 60)

Exit code: the build's own (0, 1 build failed, 3 tests failed, 8 interrupted, ...). When the
event upload failed Bazel itself exits 38 or 45; rbl then exits with the real result and sets
"besError". 2: bad usage.
`;

function actionLine(action: Action): string {
  const what = [action.mnemonic || 'action', action.label ?? action.primaryOutput ?? '']
    .join(' ')
    .trim();
  const status = action.success ? 'done' : `FAILED (exit ${action.exitCode ?? '?'})`;
  const where =
    action.location === null ? 'location pending' : `${action.location} (${action.runner ?? '?'})`;
  return `${status}: ${what} [${where}]`;
}

function spawnLine(a: SummaryAction): string {
  const cached = a.cacheHit ? ', cached' : '';
  return `${a.location ?? 'unknown'} (${a.runner ?? '?'}${cached}): ${a.mnemonic} ${a.label ?? ''} -> ${a.primaryOutput ?? ''}`.replace(
    /\s+->/,
    ' ->',
  );
}

function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${Math.round(rate * 100)}%`;
}

function summaryLines(s: InvocationSummary): string[] {
  const counts = new Map<string, number>();
  for (const a of s.actions)
    counts.set(a.location ?? 'unknown', (counts.get(a.location ?? 'unknown') ?? 0) + 1);
  const where = [...counts].map(([loc, n]) => `${n} ${loc}`).join(', ') || 'none';
  const lines = [
    `${s.actions.length} spawns: ${where}; cache hits ${percent(s.cacheHitRate)}, remote ${percent(s.remoteRate)}`,
  ];
  if (s.besError) lines.push(`event upload problem: ${s.besError.message}`);
  if (s.processes.mismatch)
    lines.push(`processes differ from Bazel's line: ${s.processes.mismatch}`);
  return lines;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals, rest, hadDashDash } = parseFlags(args, {
    json: { type: 'boolean' },
    bazel: { type: 'string' },
    cwd: { type: 'string' },
    'socket-free': { type: 'boolean' },
    'no-all-actions': { type: 'boolean' },
    'bes-timeout': { type: 'string' },
  });
  if (!hadDashDash || rest.length === 0 || positionals.length > 0) {
    throw new UsageError(
      'rbl build: expected -- <bazel command> [args...] (e.g. rbl build -- build //...)',
    );
  }
  const besTimeout =
    values['bes-timeout'] === undefined ? undefined : Number(values['bes-timeout']);
  if (besTimeout !== undefined && !(Number.isInteger(besTimeout) && besTimeout > 0)) {
    throw new UsageError(`--bes-timeout: expected whole seconds, got '${values['bes-timeout']}'`);
  }
  const json = values.json === true;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runBuild({
      argv: rest,
      cwd: path.resolve(io.cwd, values.cwd ?? '.'),
      env: io.env,
      ...(values.bazel !== undefined ? { bazel: values.bazel } : {}),
      stdout: json ? io.stderr : io.stdout,
      stderr: io.stderr,
      publishAllActions: values['no-all-actions'] !== true,
      ...(besTimeout !== undefined ? { besTimeoutSecs: besTimeout } : {}),
      socketFree: values['socket-free'] === true,
      signal: controller.signal,
      onActionFinished: (action) => say(io, actionLine(action)),
      onStarted: ({ invocationId, plan }) => {
        if (plan.userBesBackend)
          say(
            io,
            `forwarding events to your BES backend ${plan.userBesBackend.replace(/\/\/[^/@]*@/, '//***@')}`,
          );
        if (plan.userResultsUrl && plan.userBesBackend)
          say(io, `results: ${plan.userResultsUrl}${invocationId}`);
      },
    });
    for (const w of result.warnings) say(io, `warning: ${w}`);
    if (!json) for (const a of result.summary.actions) say(io, spawnLine(a));
    for (const line of summaryLines(result.summary)) say(io, line);
    if (json) printJson(io, result.summary);
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Run Bazel and see where every action ran (remote, cache, local, worker)',
  help: HELP,
  run,
};
