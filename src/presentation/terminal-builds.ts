/**
 * "Show Terminal Builds": the rc lines that make every `bazel build`/`test` started in a terminal
 * also write its build events (and execution log) to a local file the editor follows. File-based
 * on purpose: Bazel writes a file whether or not an editor is there, so a closed, hung or crashed
 * editor can never make a terminal build fail or wait (a BES backend pointing at the editor
 * would: Bazel fails or retries when nobody listens).
 *
 * The files go into Bazel's own output base, never into the workspace: Bazel creates that folder
 * before it writes anything, so the path always exists (Bazel 4.2.3 fails a build with exit 36
 * when the folder of --build_event_binary_file is missing, e.g. after `git clean -xdf` removed a
 * workspace folder), and nothing shows up in `git status` or in a root package's glob.
 *
 * The lines go into the user's private, untracked rc file (the one `rbl remote set` uses for
 * headers: an ignored try-imported file such as user.bazelrc), never into the committed
 * .bazelrc; each carries the marker below so "Stop Showing Terminal Builds" removes exactly them.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import type { EditPlan, FileChange } from '../config/edit-plan';
import { loadRcChain, type RcChainOptions } from '../config/bazelrc/chain';
import { parseBazelrc, quoteRcWord } from '../config/bazelrc/parse';
import { toLines } from '../config/bazelrc/marked';
import { chooseSecretsFile, type SecretsChoice } from '../config/bazelrc/secrets-target';
import { splitFlag } from '../config/bazelrc/effective';
import { dominantEol, insertLines, joinLines, removeLines } from '../config/lines';
import { isInside, readTextFile } from '../config/text-file';

/** The marker on our rc lines (not `rbl:remote`: `rbl remote disable` must leave them alone). */
export const TERMINAL_MARK = 'rbl:terminal';

/** First line of an rc file we create; the file is deleted again when only this is left. */
export const TERMINAL_CREATED_LINE = `# ${TERMINAL_MARK}: created by "Show Terminal Builds"; "Stop Showing Terminal Builds" deletes it`;

export interface TerminalFiles {
  /** `--build_event_binary_file`: Bazel rewrites it at the start of every command. */
  bep: string;
  /** `--execution_log_json_file`: where each action ran, written when the build ends. */
  execLog: string;
}

/** Where terminal builds of a workspace write, given its output base (`bazel info output_base`). */
export function terminalFiles(outputBase: string): TerminalFiles {
  return {
    bep: path.join(outputBase, 'rbl-terminal.bep'),
    execLog: path.join(outputBase, 'rbl-terminal.exec.json'),
  };
}

/** The rc words we add, in order. */
export function terminalFlags(files: TerminalFiles): string[] {
  return [`--build_event_binary_file=${files.bep}`, `--execution_log_json_file=${files.execLog}`];
}

function isOurs(text: string, line: { commentStart: number | null; end: number }): boolean {
  return (
    line.commentStart !== null && text.slice(line.commentStart, line.end).includes(TERMINAL_MARK)
  );
}

/** Rc files of the workspace we may edit (not the system or home rc: they are not ours). */
function workspaceRcFiles(options: RcChainOptions): string[] {
  const workspace = path.resolve(options.workspace);
  const chain = loadRcChain({ ...options, workspace });
  return [
    ...new Set(
      chain.files
        .filter((f) => f.kind !== 'system' && f.kind !== 'home' && isInside(workspace, f.path))
        .map((f) => f.path),
    ),
  ];
}

/** The files our lines point at, read back from the rc files; null when terminal builds are off. */
export function terminalBuildsEnabled(options: RcChainOptions): TerminalFiles | null {
  for (const file of workspaceRcFiles(options)) {
    const text = readTextFile(options.workspace, file).text;
    for (const line of parseBazelrc(text).lines) {
      if (!isOurs(text, line) || line.words[0]?.value !== 'build') continue;
      const flag = splitFlag(line.words[1]?.value ?? '');
      if (flag?.name === 'build_event_binary_file' && flag.value) {
        return terminalFiles(path.dirname(flag.value));
      }
    }
  }
  return null;
}

/**
 * Plans "Show Terminal Builds": our two marked `build` lines appended to the private rc file
 * (created 0600 when missing, git-ignored like `rbl remote set` does). Refuses when no private
 * file is imported (we would have to edit the committed .bazelrc) and when the user already
 * writes a BEP file of their own (ours would silently replace it).
 */
export function planTerminalBuildsOn(options: RcChainOptions, files: TerminalFiles): EditPlan {
  const workspace = path.resolve(options.workspace);
  const chain = loadRcChain({ ...options, workspace });
  for (const entry of chain.entries) {
    const text = entry.file.doc.text;
    if (isOurs(text, entry.line)) continue;
    const theirs = entry.args.find((a) => splitFlag(a.value)?.name === 'build_event_binary_file');
    if (theirs !== undefined) {
      throw new InputError(
        `already sets ${theirs.value} (line ${entry.line.lineNumber}); terminal builds would replace that file, so they stay off`,
        entry.file.displayPath,
      );
    }
  }
  let choice: SecretsChoice;
  try {
    choice = chooseSecretsFile(workspace, chain);
  } catch {
    throw new InputError(
      'is tracked by git; terminal builds write only to a private rc file, so untrack it (git rm --cached user.bazelrc) first',
      'user.bazelrc',
    );
  }
  if (choice.tryImport) {
    throw new InputError(
      `imports no private rc file; add the line \`try-import %workspace%/user.bazelrc\` to .bazelrc (and user.bazelrc to .gitignore) once, then run "Show Terminal Builds" again; the committed .bazelrc is never edited for you`,
      '.bazelrc',
    );
  }
  const rc = readTextFile(workspace, choice.path, 0o600);
  const before = rc.exists ? rc.text : `${TERMINAL_CREATED_LINE}\n`;
  const without = removeOurs(before);
  const lines = toLines(without);
  const added = terminalFlags(files).map((flag) => `build ${quoteRcWord(flag)} # ${TERMINAL_MARK}`);
  const after = joinLines(insertLines(lines, lines.length, added, dominantEol(without)));
  const changes: FileChange[] = [{ file: rc, after, secrets: [] }];
  return { changes, warnings: [] };
}

/** Plans "Stop Showing Terminal Builds": exactly our marked lines go, and a file we created. */
export function planTerminalBuildsOff(options: RcChainOptions): EditPlan {
  const changes: FileChange[] = [];
  for (const file of workspaceRcFiles(options)) {
    const rc = readTextFile(options.workspace, file);
    const after = removeOurs(rc.text);
    if (after === rc.text) continue;
    const onlyCreated = after === `${TERMINAL_CREATED_LINE}\n` || after === TERMINAL_CREATED_LINE;
    changes.push({ file: rc, after: onlyCreated ? null : after, secrets: [] });
  }
  return { changes, warnings: [] };
}

/** The text without our marked lines; removing what we appended restores it byte for byte. */
export function removeOurs(text: string): string {
  const doc = parseBazelrc(text);
  const remove = new Set<number>();
  doc.lines.forEach((l, i) => {
    if (isOurs(text, l) && l.words[0]?.value === 'build') remove.add(i);
  });
  return remove.size === 0 ? text : joinLines(removeLines(toLines(text, doc), remove));
}
