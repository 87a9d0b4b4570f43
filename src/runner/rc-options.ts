/**
 * The option words the user's rc files give a command (system, workspace and home rc, imports,
 * `--config` expansion), in the order Bazel applies them. Only used to find flags we care about.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveImportPath } from '../config/bazelrc/chain';
import { parseBazelrc } from '../config/bazelrc/parse';

/** Commands whose rc lines a command inherits, parents first (Bazel's inheritance, simplified). */
const PARENTS: Record<string, string[]> = {
  build: ['build'],
  test: ['build', 'test'],
  run: ['build', 'run'],
  coverage: ['build', 'test', 'coverage'],
  cquery: ['build', 'cquery'],
  aquery: ['build', 'aquery'],
  'mobile-install': ['build', 'mobile-install'],
  print_action: ['build', 'print_action'],
};

interface RcLine {
  command: string;
  config: string | null;
  words: string[];
}

/** Reads one rc file and its imports with the config layer's lossless parser (Bazel's tokenizer). */
function readRc(file: string, workspace: string, into: RcLine[], seen: Set<string>): void {
  if (seen.has(file) || !fs.existsSync(file)) return;
  seen.add(file);
  for (const line of parseBazelrc(fs.readFileSync(file, 'utf8')).lines) {
    const w = line.words.map((word) => word.value);
    const head = w[0];
    if (!head) continue;
    if ((head === 'import' || head === 'try-import') && w[1]) {
      readRc(resolveImportPath(workspace, w[1], path.dirname(file)), workspace, into, seen);
      continue;
    }
    const [command = '', config = null] = head.split(':');
    into.push({ command, config, words: w.slice(1) });
  }
}

export interface RcOptionsRequest {
  workspace: string;
  command: string;
  /** Explicit command-line option words (their `--config`s are expanded too). */
  explicit: readonly string[];
  /** Startup options that change rc reading (`--bazelrc`, `--nohome_rc`, ...). */
  startup: readonly string[];
  env: NodeJS.ProcessEnv;
}

/** Rc files Bazel reads for this workspace, in order. */
export function rcFiles(req: RcOptionsRequest): string[] {
  const has = (flag: string): boolean => req.startup.includes(flag);
  const files: string[] = [];
  if (!has('--nosystem_rc')) files.push('/etc/bazel/bazelrc', '/etc/bazel.bazelrc');
  if (!has('--noworkspace_rc')) files.push(path.join(req.workspace, '.bazelrc'));
  if (!has('--nohome_rc')) files.push(path.join(req.env.HOME ?? os.homedir(), '.bazelrc'));
  for (const s of req.startup) {
    const m = /^--bazelrc=(.+)$/.exec(s);
    if (m?.[1] && m[1] !== '/dev/null') files.push(path.resolve(req.workspace, m[1]));
  }
  return files;
}

/** Option words from rc files for `req.command`, with `--config` expanded in place. */
export function rcOptionWords(req: RcOptionsRequest): string[] {
  const lines: RcLine[] = [];
  const seen = new Set<string>();
  for (const f of rcFiles(req)) readRc(f, req.workspace, lines, seen);
  const commands = ['always', 'common', ...(PARENTS[req.command] ?? [req.command])];
  const plain = (cmd: string): string[] =>
    lines.filter((l) => l.command === cmd && l.config === null).flatMap((l) => l.words);
  const configWords = (name: string, depth: number): string[] => {
    if (depth > 10) return [];
    return commands
      .flatMap((cmd) =>
        lines.filter((l) => l.command === cmd && l.config === name).flatMap((l) => l.words),
      )
      .flatMap((w) => expand([w], depth + 1));
  };
  const expand = (list: string[], depth: number): string[] =>
    list.flatMap((w) => {
      const m = /^--config=(.+)$/.exec(w);
      return m?.[1] ? configWords(m[1], depth) : [w];
    });
  const fromRc = expand(commands.flatMap(plain), 0);
  const fromExplicitConfigs = req.explicit.flatMap((w) => {
    const m = /^--config=(.+)$/.exec(w);
    return m?.[1] ? configWords(m[1], 0) : [];
  });
  return [...fromRc, ...fromExplicitConfigs];
}
