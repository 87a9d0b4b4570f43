import { DirectoryInput, RunfilesInput, isFile, type Input } from './compact-entries';
import { CompactFingerprints } from './compact-fingerprint';
import type { EntryTable } from './compact-table';
import type { SpawnFile } from './types';

/** What the Invocation entry says about runfiles layout. */
export interface InvocationInfo {
  /** `_main` with bzlmod, the workspace name otherwise (8.x; empty in 7.x logs). */
  workspaceRunfilesDirectory: string;
  siblingRepositoryLayout: boolean;
}

/**
 * Expands nested sets the way Bazel's own SpawnLogReconstructor does: post-order (transitive
 * sets first, then direct entries, both left to right), each set and each input once. Entries
 * were checked when read (every id refers to an earlier entry of the right kind), so expansion
 * cannot fail on a file that was read without error.
 */
export class CompactExpander {
  #fingerprints: CompactFingerprints | null = null;

  constructor(
    private readonly table: EntryTable,
    private readonly invocation: InvocationInfo,
  ) {}

  /** Content keys of the same entries (see `Spawn.contentKey`), made when first asked for. */
  get fingerprints(): CompactFingerprints {
    return (this.#fingerprints ??= new CompactFingerprints(this.table, this.invocation));
  }

  /** Every file of an input set, with runfiles trees and directories expanded, paths unique. */
  files(setId: number): SpawnFile[] {
    const byPath = new Map<string, SpawnFile>();
    this.visitInputs(setId, (input) => {
      for (const file of this.filesOf(input))
        if (!byPath.has(file.path)) byPath.set(file.path, file);
    });
    return [...byPath.values()];
  }

  /** The paths of an input set's files (for marking tools). */
  paths(setId: number): Set<string> {
    const paths = new Set<string>();
    this.visitInputs(setId, (input) => {
      for (const file of this.filesOf(input)) paths.add(file.path);
    });
    return paths;
  }

  /** The files of a spawn's outputs: a directory output (tree artifact) gives its files. */
  outputFiles(ids: readonly number[]): SpawnFile[] {
    const files: SpawnFile[] = [];
    for (const id of ids) files.push(...this.filesOf(this.table.input(id, false)));
    return files;
  }

  filesOf(input: Input): readonly SpawnFile[] {
    if (input instanceof DirectoryInput) return input.files;
    if (isFile(input)) return [input];
    return (input.expanded ??= this.reconstructRunfiles(input));
  }

  visitInputs(setId: number, visit: (input: Input) => void): void {
    if (setId === 0) return;
    const state = new Map<number, number>();
    const seenInputs = new Set<number>();
    const stack = [setId];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      const set = this.table.inputSet(id);
      const visits = state.get(id);
      if (visits === undefined) {
        // First visit: come back to this set after its transitive sets.
        state.set(id, 0);
        stack.push(id);
        for (let i = set.transitive.length - 1; i >= 0; i--) {
          if (!state.has(set.transitive[i])) stack.push(set.transitive[i]);
        }
      } else if (visits === 0) {
        state.set(id, 1);
        for (const inputId of set.direct) {
          if (seenInputs.has(inputId)) continue;
          seenInputs.add(inputId);
          visit(this.table.input(inputId));
        }
      }
    }
  }

  private visitSymlinks(setId: number, visit: (path: string, targetId: number) => void): void {
    if (setId === 0) return;
    const state = new Map<number, number>();
    const stack = [setId];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      const set = this.table.symlinkSet(id);
      const visits = state.get(id);
      if (visits === undefined) {
        state.set(id, 0);
        stack.push(id);
        for (let i = set.transitive.length - 1; i >= 0; i--) {
          if (!state.has(set.transitive[i])) stack.push(set.transitive[i]);
        }
      } else if (visits === 0) {
        state.set(id, 1);
        for (const [path, targetId] of set.direct) visit(path, targetId);
      }
    }
  }

  /**
   * Rebuilds a runfiles tree's files. On a path clash the later source wins, in Bazel's order:
   * symlinks, artifacts at their canonical locations, empty files, root symlinks, the repo
   * mapping manifest, and the `<workspace>/.runfile` marker when the workspace directory would
   * not exist otherwise.
   */
  private reconstructRunfiles(tree: RunfilesInput): SpawnFile[] {
    const ws = this.invocation.workspaceRunfilesDirectory;
    const files = new Map<string, SpawnFile>();
    let hasWorkspaceDir = false;
    const put = (file: SpawnFile) => files.set(file.path, file);

    const addSymlinks = (setId: number, root: boolean) =>
      this.visitSymlinks(setId, (key, targetId) => {
        const relative = root ? key : key.startsWith('../') ? key.slice(3) : `${ws}/${key}`;
        if (relative.startsWith(`${ws}/`)) hasWorkspaceDir = true;
        for (const file of this.symlinkTargetFiles(`${tree.path}/${relative}`, targetId)) put(file);
      });

    addSymlinks(tree.symlinksId, false);
    this.visitInputs(tree.inputSetId, (input) => {
      // Bug-for-bug with Bazel: an empty non-external directory still counts as a workspace entry.
      if (runfilesLocation(input.path, this.invocation).repo === null) hasWorkspaceDir = true;
      for (const file of this.filesOf(input)) {
        for (const relative of runfilesPaths(
          file.path,
          this.invocation,
          tree.legacyExternalRunfiles,
        )) {
          put({ ...file, path: `${tree.path}/${relative}` });
        }
      }
    });
    for (const empty of tree.emptyFiles) {
      const path = empty.startsWith('../')
        ? `${tree.path}/${empty.slice(3)}`
        : `${tree.path}/${ws}/${empty}`;
      put(emptyFile(path));
    }
    addSymlinks(tree.rootSymlinksId, true);
    if (tree.repoMappingManifest) {
      put({ ...tree.repoMappingManifest, path: `${tree.path}/_repo_mapping` });
    }
    if (!tree.legacyExternalRunfiles && !hasWorkspaceDir)
      put(emptyFile(`${tree.path}/${ws}/.runfile`));
    return [...files.values()];
  }

  private symlinkTargetFiles(path: string, targetId: number): SpawnFile[] {
    if (targetId === 0) return [emptyFile(path)];
    const target = this.table.input(targetId);
    if (isFile(target)) return [{ ...target, path }];
    const base = target.path;
    return this.filesOf(target).map((file) => ({
      ...file,
      path: path + file.path.slice(base.length),
    }));
  }
}

function emptyFile(path: string): SpawnFile {
  return { path, digest: null, isTool: false, symlinkTarget: null };
}

const GENERATED =
  /^(?:bazel|blaze)-out\/[^/]+\/[^/]+\/(?:(?:bazel-external|external)\/([^/]+)\/)?(.+)$/s;
const SOURCE = /^(?:(?:bazel-external|external)\/([^/]+)\/)?(.+)$/s;
// With --experimental_sibling_repository_layout a repo name precedes the configuration segment;
// it is told from a configuration by the hyphen in the segment after it.
const SIBLING_GENERATED =
  /^(?:bazel|blaze)-out\/(?:([^/]+)(?=\/[^/]+-[^/]+\/)(?!\/coverage-metadata\/)\/)?[^/]+\/[^/]+\/(.+)$/s;
const SIBLING_SOURCE = /^(?:\.\.\/([^/]+)\/)?(.+)$/s;

/** The repository (null: the main one) and repo-relative path of an exec path. */
export function runfilesLocation(
  execPath: string,
  invocation: InvocationInfo,
): { repo: string | null; path: string } {
  const sibling = invocation.siblingRepositoryLayout;
  const m =
    (sibling ? SIBLING_GENERATED : GENERATED).exec(execPath) ??
    (sibling ? SIBLING_SOURCE : SOURCE).exec(execPath);
  return m ? { repo: m[1] ?? null, path: m[2] } : { repo: null, path: execPath };
}

/** Where an artifact appears in a runfiles tree, relative to the tree's root. */
function runfilesPaths(
  execPath: string,
  invocation: InvocationInfo,
  legacyExternal: boolean,
): string[] {
  const { repo, path } = runfilesLocation(execPath, invocation);
  const ws = invocation.workspaceRunfilesDirectory;
  if (repo === null) return [`${ws}/${path}`];
  // --legacy_external_runfiles (on by default before 8.0) also puts external files under the
  // workspace directory, at their exec path without the bazel-out prefix.
  return legacyExternal
    ? [`${repo}/${path}`, `${ws}/external/${repo}/${path}`]
    : [`${repo}/${path}`];
}
