import * as path from 'node:path';

/**
 * The workspace file an exec-root path names, when it is a source file the user can open:
 * not generated (`bazel-out/`), not from an external repository, relative, never leaving the
 * workspace, and present on disk. Null otherwise (the report then shows it as plain text).
 */
export function sourceFileOf(
  workspace: string,
  execPath: string,
  exists: (file: string) => boolean,
): string | null {
  if (execPath === '' || path.isAbsolute(execPath) || execPath.includes('\\')) return null;
  const segments = execPath.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return null;
  if (segments[0] === 'bazel-out' || segments[0] === 'external' || segments[0].startsWith('bazel-'))
    return null;
  const file = path.join(workspace, ...segments);
  return exists(file) ? file : null;
}
