import { DirectoryInput, InputSet, SymlinkEntrySet, type Input } from './compact-entries';
import type { SpawnDigest, SpawnFile } from './types';
import { WireReader } from './wire';

/** The kinds of interned entries, as stored per id. */
export const enum Kind {
  None = 0,
  File = 1,
  Directory = 2,
  Symlink = 3,
  Runfiles = 4,
  InputSet = 5,
  SymlinkSet = 6,
}

export function isInputKind(kind: Kind): boolean {
  return kind >= Kind.File && kind <= Kind.Runfiles;
}

/** Bazel numbers entries with a counter; a larger id means damage, not a huge log. */
const MAX_ID = 2 ** 26;

export function readDigest(r: WireReader): SpawnDigest | null {
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

/** ExecLogEntry.File (1 path, 2 digest) as a SpawnFile, its path under `prefix`. */
export function readFile(r: WireReader, prefix: string): SpawnFile {
  let path = '';
  let digest: SpawnDigest | null = null;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) path = r.string();
    else if (tag === 0x12) {
      const outer = r.enter();
      digest = readDigest(r);
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return { path: prefix + path, digest, isTool: false, symlinkTarget: null };
}

/**
 * The interned entries of a compact log, kept as the location of their bytes (typed arrays
 * indexed by id, no object per entry) and decoded only when a spawn's outputs or expanded
 * inputs need them; decoded entries are then cached. A log of 10^5 spawns interns several
 * times as many files and sets, most of which no reader ever looks at, and keeping them as
 * objects would cost both the decoding and the garbage collector's time on every one.
 */
export class EntryTable {
  private kinds = new Uint8Array(1024);
  private bufIndex = new Uint32Array(1024);
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private readonly bufs: Buffer[] = [];
  private lastArrayBuffer: ArrayBufferLike | null = null;
  private readonly decoded: (Input | InputSet | SymlinkEntrySet | undefined)[] = [];
  private readonly reader = new WireReader(Buffer.alloc(0), 0, 0);

  kind(id: number): Kind {
    return id < this.kinds.length ? (this.kinds[id] as Kind) : Kind.None;
  }

  /** Records where entry `id`'s message (`start`..`end` of `buf`) is. Returns an error message or null. */
  put(id: number, kind: Kind, buf: Uint8Array, start: number, end: number): string | null {
    if (id >= MAX_ID) return `entry id ${id} is implausibly large`;
    if (this.kind(id) !== Kind.None) return `entry id ${id} appears twice`;
    this.grow(id);
    // The bytes stay where the decompressor put them: keep their ArrayBuffer (never reused).
    if (buf.buffer !== this.lastArrayBuffer) {
      this.lastArrayBuffer = buf.buffer;
      this.bufs.push(Buffer.from(buf.buffer));
    }
    this.kinds[id] = kind;
    this.bufIndex[id] = this.bufs.length - 1;
    this.starts[id] = buf.byteOffset + start;
    this.ends[id] = buf.byteOffset + end;
    return null;
  }

  /** Stores an entry decoded when read (runfiles trees, symlink sets: rare and small). */
  putDecoded(id: number, kind: Kind, value: Input | SymlinkEntrySet): string | null {
    if (id >= MAX_ID) return `entry id ${id} is implausibly large`;
    if (this.kind(id) !== Kind.None) return `entry id ${id} appears twice`;
    this.grow(id);
    this.kinds[id] = kind;
    this.decoded[id] = value;
    return null;
  }

  /**
   * The input with this id, decoded. `cache` false for spawn outputs: each is usually read
   * once, and the spawn keeps it as long as it is needed.
   */
  input(id: number, cache = true): Input {
    const cached = this.decoded[id];
    if (cached !== undefined) return cached as Input;
    const r = this.at(id);
    let value: Input;
    switch (this.kind(id)) {
      case Kind.File:
        value = readFile(r, '');
        break;
      case Kind.Symlink:
        value = readSymlink(r);
        break;
      case Kind.Directory:
        value = readDirectory(r);
        break;
      default:
        throw new Error(`entry ${id} is not an input`);
    }
    if (cache) this.decoded[id] = value;
    return value;
  }

  /** Just the path of an input (field 1 of a file, symlink or directory), without its digest. */
  path(id: number): string {
    const cached = this.decoded[id];
    if (cached !== undefined) return (cached as Input).path;
    const r = this.at(id);
    while (!r.done) {
      const tag = r.varint();
      if (tag === 0x0a) return r.string();
      r.skip(tag & 7);
    }
    return '';
  }

  inputSet(id: number): InputSet {
    const cached = this.decoded[id];
    if (cached !== undefined) return cached as InputSet;
    const set = readInputSet(this.at(id));
    this.decoded[id] = set;
    return set;
  }

  symlinkSet(id: number): SymlinkEntrySet {
    return this.decoded[id] as SymlinkEntrySet;
  }

  /** A reader of entry `id`'s bytes: a new one (callers may nest), or `into` reset to them. */
  rawReader(id: number, into?: WireReader): WireReader {
    const buf = this.bufs[this.bufIndex[id]];
    return into
      ? into.reset(buf, this.starts[id], this.ends[id])
      : new WireReader(buf, this.starts[id], this.ends[id]);
  }

  private at(id: number): WireReader {
    return this.reader.reset(this.bufs[this.bufIndex[id]], this.starts[id], this.ends[id]);
  }

  private grow(id: number): void {
    if (id < this.kinds.length) return;
    let size = this.kinds.length;
    while (size <= id) size *= 2;
    const widen = <T extends Uint8Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.kinds = widen(this.kinds, (n) => new Uint8Array(n));
    this.bufIndex = widen(this.bufIndex, (n) => new Uint32Array(n));
    this.starts = widen(this.starts, (n) => new Uint32Array(n));
    this.ends = widen(this.ends, (n) => new Uint32Array(n));
  }
}

function readSymlink(r: WireReader): SpawnFile {
  let path = '';
  let target = '';
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) path = r.string();
    else if (tag === 0x12) target = r.string();
    else r.skip(tag & 7);
  }
  return { path, digest: null, isTool: false, symlinkTarget: target };
}

function readDirectory(r: WireReader): DirectoryInput {
  let path = '';
  const children: [number, number][] = [];
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) path = r.string();
    else if (tag === 0x12) {
      const end = r.lengthEnd();
      children.push([r.pos, end]);
      r.pos = end;
    } else r.skip(tag & 7);
  }
  // Child paths are relative to the directory, whose path may come after them.
  const outerEnd = r.end;
  const files = children.map(([start, end]) => {
    r.pos = start;
    r.end = end;
    return readFile(r, `${path}/`);
  });
  r.end = outerEnd;
  return new DirectoryInput(path, files);
}

/** InputSet: 5 input_ids (8.x); 1 file_ids, 2 directory_ids, 3 unresolved_symlink_ids (7.x); 4 transitive_set_ids. */
function readInputSet(r: WireReader): InputSet {
  const direct: number[] = [];
  const dirs: number[] = [];
  const symlinks: number[] = [];
  const transitive: number[] = [];
  while (!r.done) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    // Only varint and packed ids are ids; anything else is skipped, as checkInputSet does.
    if (wireType !== 0 && wireType !== 2) r.skip(wireType);
    else if (field === 5 || field === 1) r.uint32s(wireType, direct);
    else if (field === 2) r.uint32s(wireType, dirs);
    else if (field === 3) r.uint32s(wireType, symlinks);
    else if (field === 4) r.uint32s(wireType, transitive);
    else r.skip(wireType);
  }
  if (dirs.length > 0) direct.push(...dirs);
  if (symlinks.length > 0) direct.push(...symlinks);
  return new InputSet(direct, transitive);
}

/**
 * Checks an InputSet's references without building it: every direct id an input, every
 * transitive id an input set. Returns an error message or null.
 */
export function checkInputSet(r: WireReader, table: EntryTable): string | null {
  while (!r.done) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field >= 1 && field <= 5 && (wireType === 0 || wireType === 2)) {
      // The same walk as readInputSet (WireReader.uint32s), so what passes here reads there.
      const end = wireType === 2 ? r.lengthEnd() : -1;
      const refs: number[] = [];
      if (end < 0) refs.push(r.varint());
      else {
        while (r.pos < end) refs.push(r.varint());
        if (r.pos !== end) throw new Error('packed field overruns its length');
      }
      for (const ref of refs) {
        const kind = table.kind(ref);
        const ok = field === 4 ? kind === Kind.InputSet : isInputKind(kind);
        if (!ok) {
          return `input set refers to entry ${ref}, which is ${kind === Kind.None ? 'missing' : 'of another kind'}`;
        }
      }
    } else r.skip(wireType);
  }
  return null;
}

/**
 * Walks a File, Directory or unresolved-symlink entry's wire structure without decoding it, so
 * a damaged entry is refused where it is read, with its offset, and not later when a spawn's
 * inputs are expanded (the fuzzer found that). It follows exactly the fields the readers above
 * enter: a File's digest (2), a Directory's files (2) and their digests. Throws as WireReader
 * does; the caller locates the error.
 */
export function checkInputEntry(r: WireReader, kind: Kind): void {
  if (kind === Kind.Directory) checkNested(r, 2);
  else if (kind === Kind.File) checkNested(r, 1);
  else checkNested(r, 0);
}

/** Checks a message whose field 2 is a nested message `depth` levels deep (0: none). */
function checkNested(r: WireReader, depth: number): void {
  while (!r.done) {
    const tag = r.varint();
    if (depth > 0 && tag === 0x12) {
      const outer = r.enter();
      checkNested(r, depth - 1);
      r.leave(outer);
    } else r.skip(tag & 7);
  }
}
