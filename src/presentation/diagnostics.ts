import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { stripAnsi } from './ansi';

/** One problem found in Bazel's console output, with a workspace file when it maps to one. */
export interface ParsedDiagnostic {
  /** Absolute path of the file. */
  file: string;
  /** 1-based, as compilers print them. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** `bazel` for Bazel's own ERROR lines, `compiler` for gcc/clang style lines. */
  source: 'bazel' | 'compiler';
}

// Bazel: `ERROR: /ws/pkg/BUILD:1:8: Executing genrule //pkg:x failed: ...`
const BAZEL_LINE = /^(ERROR|WARNING|INFO): (\/[^:\n]+):(\d+):(\d+): (.*)$/;
// gcc/clang: `cc/greet.cc:3:5: error: 'x' was not declared` (also `fatal error`, `note`).
const COMPILER_LINE = /^([^\s:][^:\n]*):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;
// Inside a sandbox or the exec root: everything up to `execroot/<workspace name>/`.
const EXECROOT = /^.*\/execroot\/[^/]+\//;

/**
 * Problems from Bazel's console text: Bazel's own `ERROR: path:line:col:` lines and compiler
 * diagnostics from failed actions' output. Paths are mapped from the exec root or a sandbox back
 * to the workspace; a compiler path that matches no workspace file is dropped (it is a generated
 * or external file the user cannot edit here).
 */
export function parseDiagnostics(
  console: string,
  workspace: string,
  exists: (p: string) => boolean = existsSync,
): ParsedDiagnostic[] {
  const found: ParsedDiagnostic[] = [];
  const seen = new Set<string>();
  for (const raw of stripAnsi(console).split('\n')) {
    const line = raw.trimEnd();
    const parsed = bazelLine(line, workspace) ?? compilerLine(line, workspace, exists);
    if (parsed === null) continue;
    const key = `${parsed.file}:${parsed.line}:${parsed.column}:${parsed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(parsed);
  }
  return found;
}

function bazelLine(line: string, workspace: string): ParsedDiagnostic | null {
  const m = BAZEL_LINE.exec(line);
  if (m === null || m[1] === 'INFO') return null;
  return {
    file: toWorkspacePath(m[2], workspace),
    line: Number(m[3]),
    column: Number(m[4]),
    severity: m[1] === 'ERROR' ? 'error' : 'warning',
    message: m[5],
    source: 'bazel',
  };
}

function compilerLine(
  line: string,
  workspace: string,
  exists: (p: string) => boolean,
): ParsedDiagnostic | null {
  const m = COMPILER_LINE.exec(line);
  if (m === null) return null;
  const relative = m[1].replace(EXECROOT, '');
  const file = path.isAbsolute(relative) ? relative : path.join(workspace, relative);
  if (!exists(file)) return null;
  return {
    file,
    line: Number(m[2]),
    column: Number(m[3]),
    severity: m[4] === 'warning' ? 'warning' : m[4] === 'note' ? 'info' : 'error',
    message: m[5],
    source: 'compiler',
  };
}

/** Bazel prints the workspace's real path; a path inside the exec root maps back to it too. */
function toWorkspacePath(file: string, workspace: string): string {
  return EXECROOT.test(file) ? path.join(workspace, file.replace(EXECROOT, '')) : file;
}
