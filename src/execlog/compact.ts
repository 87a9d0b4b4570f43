import { Decompress } from 'fzstd';
import { tools } from '../gen/protos';
import { DelimitedSplitter } from '../util/delimited-splitter';
import { InputError } from '../util/errors';
import { int64ToNumber } from '../util/int64';
import {
  DirectoryInput,
  InputSet,
  RunfilesInput,
  SymlinkEntrySet,
  isFile,
  isSet,
  type Entry,
  type Input,
} from './compact-entries';
import { CompactExpander, type InvocationInfo } from './compact-expand';
import type { Spawn, SpawnDigest, SpawnFile } from './types';
import { WireReader } from './wire';

const protos = tools.protos.ExecLogEntry;

/** The zstd frame magic number, little-endian: how a compact log starts. */
export const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

/** ExecLogEntry field numbers (proto/spawn.proto). */
const enum EntryField {
  Id = 1,
  Invocation = 2,
  File = 3,
  Directory = 4,
  UnresolvedSymlink = 5,
  InputSet = 6,
  Spawn = 7,
  SymlinkAction = 8,
  SymlinkEntrySet = 9,
  RunfilesTree = 10,
}

function readDigest(r: WireReader): SpawnDigest | null {
  let hash = '';
  let sizeBytes = 0;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) hash = r.string();
    else if (tag === 0x10) sizeBytes = r.varint();
    else r.skip(tag & 7);
  }
  return hash ? { hash, sizeBytes } : null;
}

/** A Duration message in ms: 1 seconds, 2 nanos. */
function readDuration(r: WireReader): number {
  let seconds = 0;
  let nanos = 0;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x08) seconds = r.varint();
    else if (tag === 0x10) nanos = r.int32();
    else r.skip(tag & 7);
  }
  return seconds * 1000 + Math.round(nanos / 1e6);
}

/**
 * SpawnMetrics: the spawn's wall time is 1 total_time (cache lookup and upload included),
 * else 8 execution_wall_time; null when neither is there.
 */
function readWallTime(r: WireReader): number | null {
  let total: number | null = null;
  let execution: number | null = null;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) total = readDuration(r.message());
    else if (tag === 0x42) execution = readDuration(r.message());
    else r.skip(tag & 7);
  }
  return total ?? execution;
}

function file(path: string, digest: SpawnDigest | null): SpawnFile {
  return { path, digest, isTool: false, symlinkTarget: null };
}

/** ExecLogEntry.File: 1 path, 2 digest. */
function readFile(r: WireReader, prefix: string): SpawnFile {
  let path = '';
  let digest: SpawnDigest | null = null;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) path = r.string();
    else if (tag === 0x12) digest = readDigest(r.message());
    else r.skip(tag & 7);
  }
  return file(prefix + path, digest);
}

function digestOf(d: tools.protos.Digest.$Properties | null | undefined): SpawnDigest | null {
  if (!d || !d.hash) return null;
  return { hash: d.hash, sizeBytes: int64ToNumber(d.sizeBytes) };
}

/**
 * Reads a compact execution log (`--execution_log_compact_file`, Bazel 7.1+): one zstd stream
 * of varint-delimited `ExecLogEntry`, in the 7.x and the 8.x layouts. Push compressed chunks,
 * get the spawns they complete. Interned entries are kept (later spawns may use them); a
 * spawn's inputs are expanded only when first read, because logs with 10^5 spawns share most
 * input sets and most readers never look at every spawn's inputs.
 *
 * Every reference is checked when its entry is read (Bazel writes an entry after everything it
 * refers to), so damage is reported where it is and lazy expansion cannot fail later.
 *
 * Offsets in errors count decompressed bytes for record damage (where the record starts) and
 * compressed bytes for zstd damage (the start of the chunk being decompressed).
 */
export class CompactLogDecoder {
  error: InputError | null = null;
  private readonly entries: (Entry | undefined)[] = [];
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
  /** Offset of the record being interpreted, for errors. */
  private recordOffset = 0;

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
    this.recordOffset = offset;
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    try {
      this.interpret(new WireReader(buf, 0, buf.length));
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw this.fail(
        `malformed ExecLogEntry: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private fail(message: string): InputError {
    return new InputError(message, this.source, this.recordOffset);
  }

  private interpret(r: WireReader): void {
    let id = 0;
    let value: Entry | null = null;
    while (!r.done) {
      const tag = r.varint();
      const field = tag >>> 3;
      if (field === EntryField.Id && (tag & 7) === 0) {
        id = r.varint();
        continue;
      }
      if ((tag & 7) !== 2) {
        r.skip(tag & 7);
        continue;
      }
      switch (field) {
        case EntryField.File:
          value = readFile(r.message(), '');
          break;
        case EntryField.InputSet:
          value = this.readInputSet(r.message());
          break;
        case EntryField.Spawn:
          this.out.push(this.readSpawn(r.message()));
          break;
        case EntryField.Directory:
          value = this.readDirectory(r.message());
          break;
        case EntryField.UnresolvedSymlink: {
          const s = protos.UnresolvedSymlink.decode(r.bytes());
          value = {
            path: s.path ?? '',
            digest: null,
            isTool: false,
            symlinkTarget: s.targetPath ?? '',
          };
          break;
        }
        case EntryField.Invocation: {
          const inv = protos.Invocation.decode(r.bytes());
          this.invocation.workspaceRunfilesDirectory = inv.workspaceRunfilesDirectory ?? '';
          this.invocation.siblingRepositoryLayout = inv.siblingRepositoryLayout ?? false;
          break;
        }
        case EntryField.SymlinkEntrySet:
          value = this.readSymlinkEntrySet(protos.SymlinkEntrySet.decode(r.bytes()));
          break;
        case EntryField.RunfilesTree:
          value = this.readRunfilesTree(protos.RunfilesTree.decode(r.bytes()));
          break;
        default:
          // Symlink actions run no process; unknown kinds from newer Bazel are skipped.
          r.skip(2);
      }
    }
    if (value !== null && id !== 0) {
      if (this.entries[id] !== undefined) throw this.fail(`entry id ${id} appears twice`);
      this.entries[id] = value;
    }
  }

  private input(ref: number, what: string): Input {
    const e = this.entries[ref];
    if (e === undefined || isSet(e)) {
      throw this.fail(`${what} refers to entry ${ref}, which is ${e ? 'not an input' : 'missing'}`);
    }
    return e;
  }

  private setRef(
    ref: number,
    kind: typeof InputSet | typeof SymlinkEntrySet,
    what: string,
  ): number {
    if (ref !== 0 && !(this.entries[ref] instanceof kind)) {
      throw this.fail(
        `${what} refers to entry ${ref}, which is ${this.entries[ref] ? 'of another kind' : 'missing'}`,
      );
    }
    return ref;
  }

  /** InputSet: 5 input_ids (8.x); 1 file_ids, 2 directory_ids, 3 unresolved_symlink_ids (7.x); 4 transitive_set_ids. */
  private readInputSet(r: WireReader): InputSet {
    const direct: number[] = [];
    const dirs: number[] = [];
    const symlinks: number[] = [];
    const transitive: number[] = [];
    while (!r.done) {
      const tag = r.varint();
      const field = tag >>> 3;
      if (field === 5 || field === 1) r.uint32s(tag & 7, direct);
      else if (field === 2) r.uint32s(tag & 7, dirs);
      else if (field === 3) r.uint32s(tag & 7, symlinks);
      else if (field === 4) r.uint32s(tag & 7, transitive);
      else r.skip(tag & 7);
    }
    if (dirs.length > 0) direct.push(...dirs);
    if (symlinks.length > 0) direct.push(...symlinks);
    for (const ref of direct) this.input(ref, 'input set');
    for (const ref of transitive) this.setRef(ref, InputSet, 'input set');
    return new InputSet(direct, transitive);
  }

  private readDirectory(r: WireReader): DirectoryInput {
    let path = '';
    const children: WireReader[] = [];
    while (!r.done) {
      const tag = r.varint();
      if (tag === 0x0a) path = r.string();
      else if (tag === 0x12) children.push(r.message());
      else r.skip(tag & 7);
    }
    // Child paths are relative to the directory, which may come after them in the message.
    return new DirectoryInput(
      path,
      children.map((c) => readFile(c, `${path}/`)),
    );
  }

  private readSymlinkEntrySet(
    s: tools.protos.ExecLogEntry.SymlinkEntrySet.$Properties,
  ): SymlinkEntrySet {
    const direct = Object.entries(s.directEntries ?? {}).map(([path, ref]): [string, number] => {
      if (ref !== 0) this.input(ref, 'symlink entry set');
      return [path, ref];
    });
    const transitive = (s.transitiveSetIds ?? []).map((ref) =>
      this.setRef(ref, SymlinkEntrySet, 'symlink entry set'),
    );
    return new SymlinkEntrySet(direct, transitive);
  }

  private readRunfilesTree(t: tools.protos.ExecLogEntry.RunfilesTree.$Properties): RunfilesInput {
    const what = 'runfiles tree';
    return new RunfilesInput(
      t.path ?? '',
      this.setRef(t.inputSetId ?? 0, InputSet, what),
      this.setRef(t.symlinksId ?? 0, SymlinkEntrySet, what),
      this.setRef(t.rootSymlinksId ?? 0, SymlinkEntrySet, what),
      t.emptyFiles ?? [],
      t.repoMappingManifest ? file('_repo_mapping', digestOf(t.repoMappingManifest.digest)) : null,
      t.legacyExternalRunfiles ?? false,
    );
  }

  /** Spawn fields: see `ExecLogEntry.Spawn` in proto/spawn.proto. */
  private readSpawn(r: WireReader): Spawn {
    const index = this.spawnCount++;
    const what = `spawn ${index}`;
    const args: string[] = [];
    const env: { name: string; value: string }[] = [];
    let platform: { name: string; value: string }[] = [];
    let inputSetId = 0;
    let toolSetId = 0;
    const listed: string[] = [];
    const actual: SpawnFile[] = [];
    let label = '';
    let mnemonic = '';
    let exitCode = 0;
    let status = '';
    let runner = '';
    let cacheHit = false;
    let remotable = false;
    let cacheable = false;
    let remoteCacheable = false;
    let digest: SpawnDigest | null = null;
    let timeoutMillis = 0;
    let wallTimeMs: number | null = null;
    while (!r.done) {
      const tag = r.varint();
      switch (tag) {
        case 0x0a: // 1 args
          args.push(r.string());
          break;
        case 0x12: {
          // 2 env_vars: 1 name, 2 value
          const e = r.message();
          let name = '';
          let value = '';
          while (!e.done) {
            const t = e.varint();
            if (t === 0x0a) name = e.string();
            else if (t === 0x12) value = e.string();
            else e.skip(t & 7);
          }
          env.push({ name, value });
          break;
        }
        case 0x1a: // 3 platform
          platform = (tools.protos.Platform.decode(r.bytes()).properties ?? []).map((p) => ({
            name: p.name ?? '',
            value: p.value ?? '',
          }));
          break;
        case 0x20: // 4 input_set_id
          inputSetId = this.setRef(r.varint(), InputSet, what);
          break;
        case 0x28: // 5 tool_set_id
          toolSetId = this.setRef(r.varint(), InputSet, what);
          break;
        case 0x32: // 6 outputs
          this.readOutput(r.message(), listed, actual, what);
          break;
        case 0x3a: // 7 target_label
          label = r.string();
          break;
        case 0x42: // 8 mnemonic
          mnemonic = r.string();
          break;
        case 0x48: // 9 exit_code
          exitCode = r.int32();
          break;
        case 0x52: // 10 status
          status = r.string();
          break;
        case 0x5a: // 11 runner
          runner = r.string();
          break;
        case 0x60: // 12 cache_hit
          cacheHit = r.varint() !== 0;
          break;
        case 0x68: // 13 remotable
          remotable = r.varint() !== 0;
          break;
        case 0x70: // 14 cacheable
          cacheable = r.varint() !== 0;
          break;
        case 0x78: // 15 remote_cacheable
          remoteCacheable = r.varint() !== 0;
          break;
        case 130: // 16 digest (tags from field 16 on take two varint bytes)
          digest = readDigest(r.message());
          break;
        case 136: // 17 timeout_millis
          timeoutMillis = r.varint();
          break;
        case 146: // 18 metrics
          wallTimeMs = readWallTime(r.message());
          break;
        default:
          r.skip(tag & 7);
      }
    }
    return new CompactSpawn(
      {
        index,
        mnemonic,
        label: label ? label : null,
        progressMessage: null,
        args,
        env,
        platform,
        listedOutputs: listed.length > 1 ? [...new Set(listed)].sort() : listed,
        actualOutputs: actual,
        runner,
        cacheHit,
        status,
        exitCode,
        remotable,
        cacheable,
        remoteCacheable,
        timeoutMillis,
        digest,
        wallTimeMs,
      },
      this.expander,
      inputSetId,
      toolSetId,
    );
  }

  /** Output: 5 output_id (8.x) or 1 file_id / 2 directory_id / 3 unresolved_symlink_id (7.x); 4 invalid_output_path. */
  private readOutput(r: WireReader, listed: string[], actual: SpawnFile[], what: string): void {
    while (!r.done) {
      const tag = r.varint();
      const field = tag >>> 3;
      if ((field === 5 || field === 1 || field === 2 || field === 3) && (tag & 7) === 0) {
        const out = this.input(r.varint(), `${what} output`);
        listed.push(out.path);
        if (isFile(out)) actual.push(out);
        else actual.push(...this.expander.filesOf(out));
      } else if (field === 4 && (tag & 7) === 2) {
        listed.push(r.string());
      } else r.skip(tag & 7);
    }
  }
}

/**
 * A spawn of a compact log. Its inputs are expanded on first read and then kept. The getter
 * lives on the prototype (an own accessor per object would cost V8 a hidden class per spawn,
 * several times the memory of the spawn itself), so JSON.stringify sees `inputs` through
 * `toJSON`, but an object spread does not: read `spawn.inputs`.
 */
class CompactSpawn implements Spawn {
  index!: number;
  mnemonic!: string;
  label!: string | null;
  progressMessage!: string | null;
  args!: readonly string[];
  env!: readonly { name: string; value: string }[];
  platform!: readonly { name: string; value: string }[];
  listedOutputs!: readonly string[];
  actualOutputs!: readonly SpawnFile[];
  runner!: string;
  cacheHit!: boolean;
  status!: string;
  exitCode!: number;
  remotable!: boolean;
  cacheable!: boolean;
  remoteCacheable!: boolean;
  timeoutMillis!: number;
  digest!: SpawnDigest | null;
  wallTimeMs!: number | null;
  #inputs: readonly SpawnFile[] | null = null;
  readonly #expander: CompactExpander;
  readonly #inputSetId: number;
  readonly #toolSetId: number;

  constructor(
    fields: Omit<Spawn, 'inputs'>,
    expander: CompactExpander,
    inputSetId: number,
    toolSetId: number,
  ) {
    Object.assign(this, fields);
    this.#expander = expander;
    this.#inputSetId = inputSetId;
    this.#toolSetId = toolSetId;
  }

  get inputs(): readonly SpawnFile[] {
    return (this.#inputs ??= expandInputs(this.#expander, this.#inputSetId, this.#toolSetId));
  }

  toJSON(): Spawn {
    return { ...this, inputs: this.inputs };
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
