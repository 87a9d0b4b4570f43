import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { displayPathOf, readTextFor, type TextOverrides } from '../text-file';
import { compareVersions } from '../version';
import { parseBazelrc, type RcDocument, type RcLine, type RcWord } from './parse';

/** Where Debian's Bazel reads its system rc file (upstream Bazel uses /etc/bazel.bazelrc). */
export const DEFAULT_SYSTEM_RC = '/etc/bazel/bazelrc';

export interface RcChainOptions {
  workspace: string;
  /** System rc path; null to skip. Defaults to DEFAULT_SYSTEM_RC. */
  systemRc?: string | null;
  /** Home rc path; null to skip. Defaults to ~/.bazelrc. */
  homeRc?: string | null;
  /** For `try-import-if-bazel-version`; null (unknown) skips those imports. */
  bazelVersion?: string | null;
  /** Texts to use instead of the disk (null: the file is gone), to check a planned edit. */
  overrides?: TextOverrides;
}

export interface RcFile {
  path: string;
  displayPath: string;
  kind: 'system' | 'workspace' | 'home' | 'import';
  doc: RcDocument;
}

/** One `command[:config] args...` line. */
export interface RcEntry {
  command: string;
  config: string | null;
  args: RcWord[];
  file: RcFile;
  line: RcLine;
}

export interface RcImport {
  importer: RcFile;
  line: RcLine;
  directive: string;
  /** Absolute path the import resolves to. */
  target: string;
  optional: boolean;
  found: boolean;
}

export interface RcChain {
  /** Every rc file read, in the order Bazel reads them. */
  files: RcFile[];
  /** Every option line, in the order Bazel sees them (imports expanded in place). */
  entries: RcEntry[];
  imports: RcImport[];
  warnings: string[];
}

/**
 * Resolves an import path: a `%workspace%` prefix is the workspace root. Bazel 4's client
 * resolves any other relative path against its working directory, which for us (and for
 * most users) is the workspace root; when nothing is there, the importing file's folder
 * (where newer Bazel versions look) is tried.
 */
export function resolveImportPath(
  workspace: string,
  word: string,
  importerDir = workspace,
): string {
  if (word.startsWith('%workspace%')) return path.join(workspace, word.slice('%workspace%'.length));
  if (path.isAbsolute(word)) return word;
  const fromWorkspace = path.resolve(workspace, word);
  const fromImporter = path.resolve(importerDir, word);
  return fs.existsSync(fromWorkspace) || !fs.existsSync(fromImporter)
    ? fromWorkspace
    : fromImporter;
}

function versionMatches(condition: string, version: string): boolean {
  const m = /^(>=|<=|>|<|==|!=|~)?(.+)$/.exec(condition);
  if (!m) return false;
  const d = compareVersions(version, m[2]);
  switch (m[1] ?? '==') {
    case '>=':
      return d >= 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '<':
      return d < 0;
    case '!=':
      return d !== 0;
    default:
      return d === 0;
  }
}

/** Reads the rc files Bazel reads for a workspace: system, workspace, home, with imports. */
export function loadRcChain(options: RcChainOptions): RcChain {
  const workspace = path.resolve(options.workspace);
  const chain: RcChain = { files: [], entries: [], imports: [], warnings: [] };
  const stack: string[] = [];

  const readFile = (p: string, kind: RcFile['kind']): RcFile | null => {
    const text = readTextFor(p, options.overrides)?.text ?? null;
    if (text === null) return null;
    const file: RcFile = {
      path: p,
      displayPath: displayPathOf(workspace, p),
      kind,
      doc: parseBazelrc(text),
    };
    chain.files.push(file);
    return file;
  };

  const walk = (file: RcFile): void => {
    stack.push(file.path);
    for (const line of file.doc.lines) {
      const words = line.words;
      if (words.length === 0) continue;
      const directive = words[0].value;
      let target: string | null = null;
      let optional = false;
      if ((directive === 'import' || directive === 'try-import') && words.length === 2) {
        target = words[1].value;
        optional = directive === 'try-import';
      } else if (directive === 'try-import-if-bazel-version' && words.length === 3) {
        optional = true;
        const version = options.bazelVersion ?? null;
        if (version === null || !versionMatches(words[1].value, version)) continue;
        target = words[2].value;
      } else if (directive === 'import' || directive === 'try-import') {
        chain.warnings.push(
          `${file.displayPath}:${line.lineNumber}: invalid ${directive} line (expected one path)`,
        );
        continue;
      }
      if (target !== null) {
        const resolved = resolveImportPath(workspace, target, path.dirname(file.path));
        const record: RcImport = {
          importer: file,
          line,
          directive,
          target: resolved,
          optional,
          found: false,
        };
        chain.imports.push(record);
        if (stack.includes(resolved)) {
          chain.warnings.push(
            `${file.displayPath}:${line.lineNumber}: import loop through ${target}`,
          );
          continue;
        }
        const imported = readFile(resolved, 'import');
        if (imported) {
          record.found = true;
          walk(imported);
        } else if (!optional) {
          chain.warnings.push(
            `${file.displayPath}:${line.lineNumber}: imported file ${target} does not exist (Bazel would stop here)`,
          );
        }
        continue;
      }
      const colon = directive.indexOf(':');
      chain.entries.push({
        command: colon < 0 ? directive : directive.slice(0, colon),
        config: colon < 0 ? null : directive.slice(colon + 1),
        args: words.slice(1),
        file,
        line,
      });
    }
    stack.pop();
  };

  const roots: [string | null, RcFile['kind']][] = [
    [options.systemRc === undefined ? DEFAULT_SYSTEM_RC : options.systemRc, 'system'],
    [path.join(workspace, '.bazelrc'), 'workspace'],
    [options.homeRc === undefined ? path.join(os.homedir(), '.bazelrc') : options.homeRc, 'home'],
  ];
  for (const [p, kind] of roots) {
    if (p === null) continue;
    const file = readFile(p, kind);
    if (file) walk(file);
  }
  return chain;
}
