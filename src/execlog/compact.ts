import { Decompress } from 'fzstd';
import { tools } from '../gen/protos';
import { DelimitedSplitter } from '../util/delimited-splitter';
import { InputError } from '../util/errors';
import { int64ToNumber } from '../util/int64';
import { RunfilesInput, SymlinkEntrySet, type Input } from './compact-entries';
import { CompactExpander, type InvocationInfo } from './compact-expand';
import {
  EntryTable,
  Kind,
  checkInputEntry,
  checkInputSet,
  isInputKind,
  readDigest,
} from './compact-table';
import type { Spawn, SpawnDigest, SpawnFile } from './types';
import { ByteKeyedCache } from './byte-keyed-cache';
import { WireReader } from './wire';

const protos = tools.protos.ExecLogEntry;

/** The zstd frame magic number, little-endian: how a compact log starts. */
export const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

/** Shared by every spawn without platform properties (most of them) or environment. */
const NO_PROPERTIES: readonly { name: string; value: string }[] = Object.freeze([]);

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

/** The arguments (field 1) of a Spawn message. */
function readArgs(r: WireReader): string[] {
  const args: string[] = [];
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) args.push(r.string());
    else r.skip(tag & 7);
  }
  return args;
}

/** Repeated EnvironmentVariable fields (tag 0x12; each 1 name, 2 value) up to the reader's end. */
function readEnvironment(r: WireReader): { name: string; value: string }[] {
  const vars: { name: string; value: string }[] = [];
  while (!r.done) {
    const tag = r.varint();
    if (tag !== 0x12) {
      r.skip(tag & 7);
      continue;
    }
    const outer = r.enter();
    let name = '';
    let value = '';
    while (!r.done) {
      const t = r.varint();
      if (t === 0x0a) name = r.repeatedString();
      else if (t === 0x12) value = r.repeatedString();
      else r.skip(t & 7);
    }
    r.leave(outer);
    vars.push({ name, value });
  }
  return vars;
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
    if (tag === 0x0a || tag === 0x42) {
      const outer = r.enter();
      const ms = readDuration(r);
      r.leave(outer);
      if (tag === 0x0a) total = ms;
      else execution = ms;
    } else r.skip(tag & 7);
  }
  return total ?? execution;
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
  private readonly table = new EntryTable();
  private readonly invocation: InvocationInfo = {
    workspaceRunfilesDirectory: '',
    siblingRepositoryLayout: false,
  };
  private readonly expander = new CompactExpander(this.table, this.invocation);
  private readonly splitter: DelimitedSplitter;
  private readonly zstd: Decompress;
  private compressedOffset = 0;
  private spawnCount = 0;
  private out: Spawn[] = [];
  /** Set by the zstd callback: errors there must surface from push/finish. */
  private recordError: InputError | null = null;
  /** Offset of the record being interpreted, for errors. */
  private recordOffset = 0;
  /** Environments shared between spawns. */
  private readonly envs = new ByteKeyedCache<readonly { name: string; value: string }[]>();
  /** One reader for every record: no allocation per entry. */
  private readonly reader = new WireReader(Buffer.alloc(0), 0, 0);

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
      // One Buffer view per decompressed block (not per record) for the string decoding.
      const block = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      this.splitter.pushRanges(block, (buf, start, end, offset) =>
        this.onRecord(buf as Buffer, start, end, offset),
      );
    } catch (err) {
      this.recordError = inDecompressed(
        err instanceof InputError ? err : new InputError(String(err), this.source),
      );
      // Stop fzstd: nothing after the damage is trusted.
      throw this.recordError;
    }
  }

  private onRecord(buf: Buffer, start: number, end: number, offset: number): void {
    this.recordOffset = offset;
    try {
      this.interpret(this.reader.reset(buf, start, end), buf);
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

  private interpret(r: WireReader, buf: Buffer): void {
    let id = 0;
    let kind = Kind.None;
    let start = 0;
    let end = 0;
    let decoded: Input | SymlinkEntrySet | null = null;
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
        case EntryField.Directory:
        case EntryField.UnresolvedSymlink:
          // Kept as bytes; decoded when a spawn needs it.
          kind =
            field === EntryField.File
              ? Kind.File
              : field === EntryField.Directory
                ? Kind.Directory
                : Kind.Symlink;
          {
            const outer = r.enter();
            start = r.pos;
            end = r.end;
            checkInputEntry(r, kind);
            r.leave(outer);
          }
          break;
        case EntryField.InputSet: {
          kind = Kind.InputSet;
          const outer = r.enter();
          start = r.pos;
          end = r.end;
          const problem = checkInputSet(r, this.table);
          if (problem) throw this.fail(problem);
          r.leave(outer);
          break;
        }
        case EntryField.Spawn: {
          const outer = r.enter();
          this.out.push(this.readSpawn(r));
          r.leave(outer);
          break;
        }
        case EntryField.Invocation: {
          const inv = protos.Invocation.decode(r.bytes());
          this.invocation.workspaceRunfilesDirectory = inv.workspaceRunfilesDirectory ?? '';
          this.invocation.siblingRepositoryLayout = inv.siblingRepositoryLayout ?? false;
          break;
        }
        case EntryField.SymlinkEntrySet:
          kind = Kind.SymlinkSet;
          decoded = this.readSymlinkEntrySet(protos.SymlinkEntrySet.decode(r.bytes()));
          break;
        case EntryField.RunfilesTree:
          kind = Kind.Runfiles;
          decoded = this.readRunfilesTree(protos.RunfilesTree.decode(r.bytes()));
          break;
        default:
          // Symlink actions run no process; unknown kinds from newer Bazel are skipped.
          r.skip(2);
      }
    }
    if (kind === Kind.None || id === 0) return;
    const problem = decoded
      ? this.table.putDecoded(id, kind, decoded)
      : this.table.put(id, kind, buf, start, end);
    if (problem) throw this.fail(problem);
  }

  private input(ref: number, what: string): Input {
    const kind = this.table.kind(ref);
    if (!isInputKind(kind)) {
      throw this.fail(
        `${what} refers to entry ${ref}, which is ${kind === Kind.None ? 'missing' : 'not an input'}`,
      );
    }
    return this.table.input(ref);
  }

  private setRef(ref: number, kind: Kind.InputSet | Kind.SymlinkSet, what: string): number {
    const actual = this.table.kind(ref);
    if (ref !== 0 && actual !== kind) {
      throw this.fail(
        `${what} refers to entry ${ref}, which is ${actual === Kind.None ? 'missing' : 'of another kind'}`,
      );
    }
    return ref;
  }

  private readSymlinkEntrySet(
    s: tools.protos.ExecLogEntry.SymlinkEntrySet.$Properties,
  ): SymlinkEntrySet {
    const direct = Object.entries(s.directEntries ?? {}).map(([path, ref]): [string, number] => {
      if (ref !== 0) this.input(ref, 'symlink entry set');
      return [path, ref];
    });
    const transitive = (s.transitiveSetIds ?? []).map((ref) =>
      this.setRef(ref, Kind.SymlinkSet, 'symlink entry set'),
    );
    return new SymlinkEntrySet(direct, transitive);
  }

  private readRunfilesTree(t: tools.protos.ExecLogEntry.RunfilesTree.$Properties): RunfilesInput {
    const what = 'runfiles tree';
    const manifest = t.repoMappingManifest?.digest;
    return new RunfilesInput(
      t.path ?? '',
      this.setRef(t.inputSetId ?? 0, Kind.InputSet, what),
      this.setRef(t.symlinksId ?? 0, Kind.SymlinkSet, what),
      this.setRef(t.rootSymlinksId ?? 0, Kind.SymlinkSet, what),
      t.emptyFiles ?? [],
      t.repoMappingManifest
        ? {
            path: '_repo_mapping',
            digest: manifest?.hash
              ? { hash: manifest.hash, sizeBytes: int64ToNumber(manifest.sizeBytes) }
              : null,
            isTool: false,
            symlinkTarget: null,
          }
        : null,
      t.legacyExternalRunfiles ?? false,
    );
  }

  /** Spawn fields: see `ExecLogEntry.Spawn` in proto/spawn.proto. */
  private readSpawn(r: WireReader): Spawn {
    const index = this.spawnCount++;
    const what = `spawn ${index}`;
    const messageStart = r.pos;
    const messageEnd = r.end;
    let env: readonly { name: string; value: string }[] = NO_PROPERTIES;
    let platform: readonly { name: string; value: string }[] = NO_PROPERTIES;
    let inputSetId = 0;
    let toolSetId = 0;
    const listed: string[] = [];
    const outputIds: number[] = [];
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
        case 0x0a: // 1 args: decoded when first read (most readers never do)
          r.skip(2);
          break;
        case 0x12: {
          // 2 env_vars, written one after the other: most spawns share their whole environment.
          const first = r.pos - 1;
          let last = r.lengthEnd();
          while (last < r.end && r.buf[last] === 0x12) {
            r.pos = last + 1;
            last = r.lengthEnd();
          }
          r.pos = first;
          const outerEnd = r.end;
          env = this.envs.get(r.buf, first, last, () => {
            r.end = last;
            const vars = readEnvironment(r);
            r.end = outerEnd;
            return Object.freeze(vars);
          });
          r.pos = last;
          break;
        }
        case 0x1a: // 3 platform
          platform = (tools.protos.Platform.decode(r.bytes()).properties ?? []).map((p) => ({
            name: p.name ?? '',
            value: p.value ?? '',
          }));
          break;
        case 0x20: // 4 input_set_id
          inputSetId = this.setRef(r.varint(), Kind.InputSet, what);
          break;
        case 0x28: // 5 tool_set_id
          toolSetId = this.setRef(r.varint(), Kind.InputSet, what);
          break;
        case 0x32: {
          // 6 outputs
          const outer = r.enter();
          this.readOutput(r, listed, outputIds, what);
          r.leave(outer);
          break;
        }
        case 0x3a: // 7 target_label
          label = r.repeatedString();
          break;
        case 0x42: // 8 mnemonic
          mnemonic = r.repeatedString();
          break;
        case 0x48: // 9 exit_code
          exitCode = r.int32();
          break;
        case 0x52: // 10 status
          status = r.repeatedString();
          break;
        case 0x5a: // 11 runner
          runner = r.repeatedString();
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
        case 130: {
          // 16 digest (tags from field 16 on take two varint bytes)
          const outer = r.enter();
          digest = readDigest(r);
          r.leave(outer);
          break;
        }
        case 136: // 17 timeout_millis
          timeoutMillis = r.varint();
          break;
        case 146: {
          // 18 metrics
          const outer = r.enter();
          wallTimeMs = readWallTime(r);
          r.leave(outer);
          break;
        }
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
        env,
        platform,
        listedOutputs: listed.length > 1 ? [...new Set(listed)].sort() : listed,
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
      outputIds,
      r.buf,
      messageStart,
      messageEnd,
    );
  }

  /** Output: 5 output_id (8.x) or 1 file_id / 2 directory_id / 3 unresolved_symlink_id (7.x); 4 invalid_output_path. */
  private readOutput(r: WireReader, listed: string[], outputIds: number[], what: string): void {
    while (!r.done) {
      const tag = r.varint();
      const field = tag >>> 3;
      if ((field === 5 || field === 1 || field === 2 || field === 3) && (tag & 7) === 0) {
        const ref = r.varint();
        const kind = this.table.kind(ref);
        if (!isInputKind(kind)) {
          throw this.fail(
            `${what} output refers to entry ${ref}, which is ${kind === Kind.None ? 'missing' : 'not an input'}`,
          );
        }
        listed.push(this.table.path(ref));
        outputIds.push(ref);
      } else if (field === 4 && (tag & 7) === 2) {
        listed.push(r.string());
      } else r.skip(tag & 7);
    }
  }
}

/**
 * A spawn of a compact log. Its inputs, arguments and actual outputs are decoded on first read
 * and then kept: a 10^5-spawn log reads at the pace of its decompression, and memory holds
 * them only for the spawns someone looks at. They are own enumerable accessors, so object
 * spread and JSON.stringify see them like any field; each is defined with one shared descriptor, because a getter closure per object (as an object literal
 * `get` makes) costs V8 a hidden class per spawn, several times the memory of the spawn.
 */
class CompactSpawn implements Spawn {
  index!: number;
  mnemonic!: string;
  label!: string | null;
  progressMessage!: string | null;
  env!: readonly { name: string; value: string }[];
  platform!: readonly { name: string; value: string }[];
  listedOutputs!: readonly string[];
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
    fields: Omit<Spawn, 'inputs' | 'args' | 'actualOutputs'>,
    expander: CompactExpander,
    inputSetId: number,
    toolSetId: number,
    outputIds: readonly number[],
    buf: Buffer,
    start: number,
    end: number,
  ) {
    // Field by field, in one order: every spawn gets the same hidden class.
    this.index = fields.index;
    this.mnemonic = fields.mnemonic;
    this.label = fields.label;
    this.progressMessage = fields.progressMessage;
    this.env = fields.env;
    this.platform = fields.platform;
    this.listedOutputs = fields.listedOutputs;
    this.runner = fields.runner;
    this.cacheHit = fields.cacheHit;
    this.status = fields.status;
    this.exitCode = fields.exitCode;
    this.remotable = fields.remotable;
    this.cacheable = fields.cacheable;
    this.remoteCacheable = fields.remoteCacheable;
    this.timeoutMillis = fields.timeoutMillis;
    this.digest = fields.digest;
    this.wallTimeMs = fields.wallTimeMs;
    this.#outputIds = outputIds;
    this.#buf = buf;
    this.#start = start;
    this.#end = end;
    // Three defineProperty calls: measured faster than one defineProperties with the three.
    Object.defineProperty(this, 'args', CompactSpawn.#argsProperty);
    Object.defineProperty(this, 'actualOutputs', CompactSpawn.#actualOutputsProperty);
    Object.defineProperty(this, 'inputs', CompactSpawn.#inputsProperty);
    this.#expander = expander;
    this.#inputSetId = inputSetId;
    this.#toolSetId = toolSetId;
  }

  /** See `Spawn.contentKey`: from the message's bytes, its inputs never expanded. */
  contentKey(): number {
    return this.#expander.fingerprints.spawn(new WireReader(this.#buf, this.#start, this.#end));
  }

  /** Defined per object in the constructor (see the class comment). */
  declare readonly inputs: readonly SpawnFile[];
  declare readonly args: readonly string[];
  declare readonly actualOutputs: readonly SpawnFile[];
  #args: readonly string[] | null = null;
  #actualOutputs: readonly SpawnFile[] | null = null;
  readonly #outputIds: readonly number[];
  /** The spawn's message in the decompressed log, kept anyway for the interned entries. */
  readonly #buf: Buffer;
  readonly #start: number;
  readonly #end: number;

  static readonly #actualOutputsProperty: PropertyDescriptor = {
    get(this: CompactSpawn): readonly SpawnFile[] {
      return (this.#actualOutputs ??= this.#expander.outputFiles(this.#outputIds));
    },
    enumerable: true,
    configurable: true,
  };

  static readonly #argsProperty: PropertyDescriptor = {
    get(this: CompactSpawn): readonly string[] {
      return (this.#args ??= readArgs(new WireReader(this.#buf, this.#start, this.#end)));
    },
    enumerable: true,
    configurable: true,
  };

  /** One descriptor, one getter function for every spawn: V8 then shares their hidden class. */
  static readonly #inputsProperty: PropertyDescriptor = {
    get(this: CompactSpawn): readonly SpawnFile[] {
      return (this.#inputs ??= expandInputs(this.#expander, this.#inputSetId, this.#toolSetId));
    },
    enumerable: true,
    configurable: true,
  };
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
