import type { SpawnFile } from './types';

/**
 * What a compact log's interned entries become once decoded (see EntryTable: only on use):
 * inputs (a file or unresolved symlink, as the SpawnFile itself; a directory; a runfiles tree)
 * and the nested sets that group them.
 */
export class DirectoryInput {
  constructor(
    readonly path: string,
    readonly files: readonly SpawnFile[],
  ) {}
}

/** A runfiles tree (Bazel 8.x); its files are reconstructed on first use and then kept. */
export class RunfilesInput {
  expanded: readonly SpawnFile[] | null = null;

  constructor(
    readonly path: string,
    readonly inputSetId: number,
    readonly symlinksId: number,
    readonly rootSymlinksId: number,
    readonly emptyFiles: readonly string[],
    readonly repoMappingManifest: SpawnFile | null,
    readonly legacyExternalRunfiles: boolean,
  ) {}
}

export type Input = SpawnFile | DirectoryInput | RunfilesInput;

/** A nested set of inputs: `transitive` sets first, then `direct` ids, in post-order. */
export class InputSet {
  constructor(
    readonly direct: readonly number[],
    readonly transitive: readonly number[],
  ) {}
}

/** A nested set of runfiles symlinks: relative path → target entry id (0: an empty file). */
export class SymlinkEntrySet {
  constructor(
    readonly direct: readonly (readonly [string, number])[],
    readonly transitive: readonly number[],
  ) {}
}

export type Entry = Input | InputSet | SymlinkEntrySet;

export function isFile(input: Input): input is SpawnFile {
  return !(input instanceof DirectoryInput) && !(input instanceof RunfilesInput);
}
