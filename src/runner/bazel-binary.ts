/**
 * Finds the Bazel to run and what it supports. Debian's 4.2.3 reports no version
 * (`bazel no_version`), so supported flags are read from `bazel help build` once per binary
 * (path + mtime) and cached on disk; a known version answers without starting anything.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../util/errors';

/** An executable file on PATH named `name`, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The flag or setting when given, else `bazelisk`, else `bazel` on PATH. */
export function findBazel(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string {
  if (explicit) {
    const resolved = explicit.includes('/') ? path.resolve(cwd, explicit) : onPath(explicit, env);
    if (!resolved || !fs.existsSync(resolved))
      throw new InputError(`Bazel not found: '${explicit}'`, '--bazel');
    return resolved;
  }
  const found = onPath('bazelisk', env) ?? onPath('bazel', env);
  if (!found) throw new InputError('no bazel or bazelisk on PATH (use --bazel PATH)', '--bazel');
  return found;
}

export interface BazelSupport {
  /** `7.1.0`, or null when the binary reports none (Debian's 4.2.3). */
  version: string | null;
  /** Command options `bazel help build` lists (without dashes and `[no]`). */
  flags: Set<string>;
}

/** Flags we add and must know about. Every Bazel since 0.x has the first three. */
const BASE_FLAGS = [
  'bes_backend',
  'bes_timeout',
  'build_event_publish_all_actions',
  'invocation_id',
  'build_request_id',
];

/** Runs a command to its end without blocking the event loop (the editor shares it). */
function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeout: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env, cwd, encoding: 'utf8', timeout, maxBuffer: 64 << 20 },
      (_err, stdout, stderr) => resolve({ stdout: stdout ?? '', stderr: stderr ?? '' }),
    );
  });
}

async function versionOf(
  bazel: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string | null> {
  const r = await run(bazel, ['--version'], env, cwd, 60_000);
  const m = /^bazel (\d+\.\d+\.\d+\S*)/m.exec(r.stdout);
  return m?.[1] ?? null;
}

function compare(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** What a released version supports (from the flag histories in the wire-format reference). */
function flagsOfVersion(version: string): Set<string> {
  const flags = new Set([
    ...BASE_FLAGS,
    'execution_log_binary_file',
    'execution_log_json_file',
    'build_event_binary_file',
  ]);
  if (compare(version, '7.1.0') >= 0) flags.add('experimental_execution_log_compact_file');
  if (compare(version, '7.4.0') >= 0) flags.add('execution_log_compact_file');
  if (compare(version, '7.0.0') < 0) flags.add('experimental_execution_log_file');
  return flags;
}

/** `startup` are the user's startup options: the same server the build will use answers. */
async function flagsFromHelp(
  bazel: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  startup: readonly string[],
): Promise<Set<string>> {
  const r = await run(bazel, [...startup, 'help', 'build'], env, cwd, 300_000);
  const flags = new Set<string>();
  for (const m of r.stdout.matchAll(/^\s+--(?:\[no\])?([a-z_0-9]+)/gm)) if (m[1]) flags.add(m[1]);
  if (flags.size === 0) {
    throw new InputError(
      `could not list the options of ${bazel} ('bazel help build' printed none): ${r.stderr.trim().split('\n').pop() ?? ''}`,
    );
  }
  return flags;
}

function cacheFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'remote-build-lens', 'bazel-support.json');
}

type SupportCache = Record<string, { version: string | null; flags: string[] }>;

/** Support of `bazel`, cached per real path and mtime. */
export async function bazelSupport(
  bazel: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  startup: readonly string[] = [],
): Promise<BazelSupport> {
  const real = fs.realpathSync(bazel);
  const key = `${real}@${fs.statSync(real).mtimeMs}`;
  const file = cacheFile(env);
  let cache: SupportCache = {};
  try {
    cache = JSON.parse(fs.readFileSync(file, 'utf8')) as SupportCache;
  } catch {
    // no cache yet, or unreadable: rebuild it
  }
  const hit = cache[key];
  if (hit) return { version: hit.version, flags: new Set(hit.flags) };
  const version = await versionOf(bazel, env, cwd);
  const flags = version ? flagsOfVersion(version) : await flagsFromHelp(bazel, env, cwd, startup);
  // bazelisk's version is the Bazel it downloads, which can change: do not cache it.
  if (path.basename(real) !== 'bazelisk') {
    cache[key] = { version, flags: [...flags].sort() };
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(cache));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only home only costs a re-detection next time
    }
  }
  return { version, flags };
}
