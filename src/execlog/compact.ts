import { Decompress } from 'fzstd';
import { tools } from '../gen/protos';
import { DelimitedSplitter } from '../util/delimited-splitter';
import { InputError } from '../util/errors';
import {
  DirectoryInput,
  FileInput,
  InputSet,
  RunfilesInput,
  SymlinkEntrySet,
  type Entry,
  type Input,
} from './compact-entries';
import { CompactExpander, type InvocationInfo } from './compact-expand';
import { durationMessageMs } from './spawn-exec';
import type { Spawn, SpawnDigest, SpawnFile } from './types';

const ExecLogEntry = tools.protos.ExecLogEntry;
type EntryMessage = tools.protos.ExecLogEntry.$Properties;

/** The zstd frame magic number, little-endian: how a compact log starts. */
export const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

function digestOf(d: tools.protos.Digest.$Properties | null | undefined): SpawnDigest | null {
  if (!d || !d.hash) return null;
  return { hash: d.hash, sizeBytes: d.sizeBytes ?? 0 };
}

function fileEntry(path: string, d: tools.protos.Digest.$Properties | null | undefined): SpawnFile {
  return { path, digest: digestOf(d), isTool: false, symlinkTarget: null };
}

/**
 * Reads a compact execution log (`--execution_log_compact_file`, Bazel 7.1+): one zstd stream
 * of varint-delimited `ExecLogEntry`, in the 7.x and the 8.x layouts. Push compressed chunks,
 * get the spawns they complete. Interned entries are kept (later spawns may use them); a
 * spawn's inputs are expanded only when first read, because logs with 10^5 spawns share most
 * input sets and most readers never look at every spawn's inputs.
 *
 * Offsets in errors count decompressed bytes for record damage (where the record starts) and
 * compressed bytes for zstd damage (the start of the chunk being decompressed).
 */
export class CompactLogDecoder {
  error: InputError | null = null;
  private readonly entries = new Map<number, Entry>();
  private readonly invocation: InvocationInfo = {
    workspaceRunfilesDirectory: '',
    siblingRepositoryLayout: false,
  };
  private readonly expander = new CompactExpander(this.entries, this.invocation);
  private readonly splitter: DelimitedSplitter;
  private readonly zstd: Decompress;
  private compressedOffset = 0;
  private spawnCount = 0;
  private out: Spawn[] = [];
  /** Set by the zstd callback: errors there must surface from push/finish. */
  private recordError: InputError | null = null;

  constructor(private readonly source?: string) {
    this.splitter = new DelimitedSplitter(source);
    this.zstd = new Decompress((data) => this.onDecompressed(data));
  }

  push(chunk: Uint8Array): Spawn[] {
    if (this.error) throw this.error;
    this.out = [];
    this.feed(chunk, false);
    this.compressedOffset += chunk.length;
    return this.out;
  }

  finish(): void {
    if (this.error) throw this.error;
    this.out = [];
    this.feed(new Uint8Array(0), true);
    if (!this.error) {
      try {
        this.splitter.finish();
      } catch (err) {
        this.error = inDecompressed(err as InputError);
      }
    }
    if (this.error) throw this.error;
  }

  private feed(chunk: Uint8Array, final: boolean): void {
    try {
      this.zstd.push(chunk, final);
    } catch (err) {
      this.error =
        this.recordError ??
        new InputError(
          `damaged zstd stream: ${err instanceof Error ? err.message : String(err)}`,
          this.source,
          this.compressedOffset,
        );
    }
  }

  private onDecompressed(data: Uint8Array): void {
    if (this.recordError) return;
    try {
      this.splitter.push(data, ({ offset, bytes }) => this.onRecord(offset, bytes));
    } catch (err) {
      this.recordError = inDecompressed(
        err instanceof InputError ? err : new InputError(String(err), this.source),
      );
      // Stop fzstd: nothing after the damage is trusted.
      throw this.recordError;
    }
  }

  private onRecord(offset: number, bytes: Uint8Array): void {
    let entry: EntryMessage;
    try {
      entry = ExecLogEntry.decode(bytes);
    } catch (err) {
      throw new InputError(
        `malformed ExecLogEntry: ${err instanceof Error ? err.message : String(err)}`,
        this.source,
        offset,
      );
    }
    this.interpret(entry, offset);
  }

  private interpret(entry: EntryMessage, offset: number): void {
    const id = entry.id ?? 0;
    const fail = (message: string): never => {
      throw new InputError(message, this.source, offset);
    };
    const store = (value: Entry) => {
      if (id === 0) return; // Never referenced.
      if (this.entries.has(id)) fail(`entry id ${id} appears twice`);
      this.entries.set(id, value);
    };
    const input = (ref: number, what: string): Input => {
      const e = this.entries.get(ref);
      if (e instanceof InputSet || e instanceof SymlinkEntrySet || e === undefined) {
        return fail(`${what} refers to entry ${ref}, which is ${e ? 'not an input' : 'missing'}`);
      }
      return e;
    };
    const setRef = (
      ref: number | null | undefined,
      kind: typeof InputSet | typeof SymlinkEntrySet,
      what: string,
    ) => {
      if (!ref) return 0;
      if (!(this.entries.get(ref) instanceof kind)) {
        fail(
          `${what} refers to entry ${ref}, which is ${this.entries.has(ref) ? 'of another kind' : 'missing'}`,
        );
      }
      return ref;
    };

    if (entry.invocation) {
      this.invocation.workspaceRunfilesDirectory =
        entry.invocation.workspaceRunfilesDirectory ?? '';
      this.invocation.siblingRepositoryLayout = entry.invocation.siblingRepositoryLayout ?? false;
    } else if (entry.file) {
      store(new FileInput(fileEntry(entry.file.path ?? '', entry.file.digest)));
    } else if (entry.unresolvedSymlink) {
      const target = entry.unresolvedSymlink.targetPath ?? '';
      store(
        new FileInput({
          path: entry.unresolvedSymlink.path ?? '',
          digest: null,
          isTool: false,
          symlinkTarget: target,
        }),
      );
    } else if (entry.directory) {
      const dir = entry.directory.path ?? '';
      store(
        new DirectoryInput(
          dir,
          (entry.directory.files ?? []).map((f) => fileEntry(`${dir}/${f.path ?? ''}`, f.digest)),
        ),
      );
    } else if (entry.inputSet) {
      const s = entry.inputSet;
      // 8.x lists every kind in input_ids; 7.x split them into three fields.
      const direct = [
        ...(s.inputIds ?? []),
        ...(s.fileIds ?? []),
        ...(s.directoryIds ?? []),
        ...(s.unresolvedSymlinkIds ?? []),
      ];
      for (const ref of direct) input(ref, `input set ${id}`);
      const transitive = (s.transitiveSetIds ?? []).map((ref) =>
        setRef(ref, InputSet, `input set ${id}`),
      );
      store(new InputSet(direct, transitive));
    } else if (entry.symlinkEntrySet) {
      const s = entry.symlinkEntrySet;
      const direct = Object.entries(s.directEntries ?? {}).map(([path, ref]): [string, number] => {
        if (ref !== 0) input(ref, `symlink set ${id}`);
        return [path, ref];
      });
      const transitive = (s.transitiveSetIds ?? []).map((ref) =>
        setRef(ref, SymlinkEntrySet, `symlink set ${id}`),
      );
      store(new SymlinkEntrySet(direct, transitive));
    } else if (entry.runfilesTree) {
      const t = entry.runfilesTree;
      const what = `runfiles tree ${id}`;
      store(
        new RunfilesInput(
          t.path ?? '',
          setRef(t.inputSetId, InputSet, what),
          setRef(t.symlinksId, SymlinkEntrySet, what),
          setRef(t.rootSymlinksId, SymlinkEntrySet, what),
          t.emptyFiles ?? [],
          t.repoMappingManifest ? fileEntry('_repo_mapping', t.repoMappingManifest.digest) : null,
          t.legacyExternalRunfiles ?? false,
        ),
      );
    } else if (entry.spawn) {
      this.out.push(this.spawnOf(entry.spawn, input, setRef));
    }
    // Symlink actions run no process; unknown entry kinds from newer Bazel are skipped.
  }

  private spawnOf(
    s: tools.protos.ExecLogEntry.Spawn.$Properties,
    input: (ref: number, what: string) => Input,
    setRef: (ref: number | null | undefined, kind: typeof InputSet, what: string) => number,
  ): Spawn {
    const index = this.spawnCount++;
    const what = `spawn ${index}`;
    const inputSetId = setRef(s.inputSetId, InputSet, what);
    const toolSetId = setRef(s.toolSetId, InputSet, what);
    const listed = new Set<string>();
    const actual: SpawnFile[] = [];
    for (const o of s.outputs ?? []) {
      const ref = o.outputId || o.fileId || o.directoryId || o.unresolvedSymlinkId || 0;
      if (ref !== 0) {
        const out = input(ref, `${what} output`);
        if (out instanceof FileInput) {
          listed.add(out.file.path);
          actual.push(out.file);
        } else {
          listed.add(out.path);
          actual.push(...this.expander.filesOf(out));
        }
      } else if (o.invalidOutputPath) {
        listed.add(o.invalidOutputPath);
      }
    }
    const expander = this.expander;
    let inputs: readonly SpawnFile[] | undefined;
    const metrics = s.metrics;
    return {
      index,
      mnemonic: s.mnemonic ?? '',
      label: s.targetLabel ? s.targetLabel : null,
      progressMessage: null,
      args: s.args ?? [],
      env: (s.envVars ?? []).map((v) => ({ name: v.name ?? '', value: v.value ?? '' })),
      platform: (s.platform?.properties ?? []).map((p) => ({
        name: p.name ?? '',
        value: p.value ?? '',
      })),
      // Expanded on first read and kept: an own enumerable getter, so JSON.stringify and
      // object spread still see the inputs.
      get inputs(): readonly SpawnFile[] {
        return (inputs ??= expandInputs(expander, inputSetId, toolSetId));
      },
      listedOutputs: [...listed].sort(),
      actualOutputs: actual,
      runner: s.runner ?? '',
      cacheHit: s.cacheHit ?? false,
      status: s.status ?? '',
      exitCode: s.exitCode ?? 0,
      remotable: s.remotable ?? false,
      cacheable: s.cacheable ?? false,
      remoteCacheable: s.remoteCacheable ?? false,
      timeoutMillis: s.timeoutMillis ?? 0,
      digest: digestOf(s.digest),
      wallTimeMs: metrics
        ? (durationMessageMs(metrics.totalTime) ?? durationMessageMs(metrics.executionWallTime))
        : null,
    };
  }
}

function expandInputs(
  expander: CompactExpander,
  inputSetId: number,
  toolSetId: number,
): SpawnFile[] {
  const files = expander.files(inputSetId);
  if (toolSetId === 0) return files;
  const tools = expander.paths(toolSetId);
  return files.map((f) => (tools.has(f.path) ? { ...f, isTool: true } : f));
}

function inDecompressed(err: InputError): InputError {
  return new InputError(
    `${err.message} (offset in the decompressed stream)`,
    err.source,
    err.offset,
  );
}
