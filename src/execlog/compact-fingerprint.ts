import type { RunfilesInput, SymlinkEntrySet } from './compact-entries';
import type { InvocationInfo } from './compact-expand';
import { Kind, type EntryTable } from './compact-table';
import { WireReader } from './wire';

/**
 * Content keys of a compact log's entries and spawns, for telling two builds' identical spawns
 * apart from changed ones without expanding their inputs (what a cache-miss explanation does
 * 10^5 times). A key hashes what a reader would decode, with every reference to another entry
 * replaced by that entry's key, so keys compare across logs whatever ids each log gave.
 *
 * Equal keys mean equal content but for a hash collision: two independent 32-bit lanes give
 * 53 bits, so a changed spawn passes for its unchanged counterpart with probability 2^-53.
 * Unequal keys prove nothing (the same files may be grouped in other nested sets): callers
 * compare the expanded spawns then. NaN is "no key" (an entry nested too deep to follow), never
 * equal to anything.
 */
export class CompactFingerprints {
  /** Key per entry id; 0 = not computed yet. */
  private keys = new Float64Array(1024);
  /** Entries below this id have been visited in id order (see `entry`). */
  private next = 1;
  /** Scratch state reused per nesting depth: no allocation per entry of 10^5. */
  private readonly hashers: Hasher[] = [];
  private readonly refLists: number[][] = [];
  private readonly spawnHasher = new Hasher();
  private readonly leafReader = new WireReader(Buffer.alloc(0), 0, 0);

  constructor(
    private readonly table: EntryTable,
    private readonly invocation: InvocationInfo,
  ) {}

  /**
   * The key of entry `id` (0 for "no entry", as ids 0 mean in the log). Bazel writes an entry
   * after everything it refers to, with a larger id, so visiting ids in order computes children
   * first without recursion; an out-of-order reference (a hand-made log) recurses, up to a
   * bound beyond which the key is NaN.
   */
  entry(id: number): number {
    if (id === 0) return 0;
    while (this.next < id) this.compute(this.next++, 0);
    return this.compute(id, 0);
  }

  /**
   * A spawn's key from its message bytes: arguments, environment, platform, exit code and
   * action digest as written; input set, tool set and outputs by their entries' keys. Fields a
   * rebuild changes without changing the action (runner, metrics, cache hit) stay out.
   */
  spawn(r: WireReader): number {
    const h = this.spawnHasher.reset(7);
    while (!r.done) {
      const tag = r.varint();
      switch (tag) {
        case 0x0a: // 1 args
        case 0x12: // 2 env_vars
        case 0x1a: // 3 platform
        case 130: {
          // 16 digest
          const end = r.lengthEnd();
          h.u32(tag);
          h.bytes(r.buf, r.pos, end);
          r.pos = end;
          break;
        }
        case 0x20: // 4 input_set_id
        case 0x28: // 5 tool_set_id
          h.u32(tag);
          h.key(this.entry(r.varint()));
          break;
        case 0x32: {
          // 6 outputs: ids (5; 7.x: 1, 2, 3) or an invalid output's path (4)
          const outer = r.enter();
          h.u32(tag);
          while (!r.done) {
            const t = r.varint();
            if ((t & 7) === 0 && t >>> 3 < 6 && (OUTPUT_ID_FIELDS >> (t >>> 3)) & 1) {
              h.key(this.entry(r.varint()));
            } else if (t === 0x22) {
              const end = r.lengthEnd();
              h.bytes(r.buf, r.pos, end);
              r.pos = end;
            } else r.skip(t & 7);
          }
          r.leave(outer);
          break;
        }
        case 0x48: // 9 exit_code
          h.u32(tag);
          h.u32(r.int32());
          break;
        default:
          r.skip(tag & 7);
      }
    }
    return h.digest();
  }

  private compute(id: number, depth: number): number {
    if (id >= this.keys.length) this.grow(id);
    const known = this.keys[id];
    if (known !== 0) return known;
    if (depth > MAX_DEPTH) return NaN;
    const key = this.keyOf(id, depth);
    this.keys[id] = key;
    return key;
  }

  private keyOf(id: number, depth: number): number {
    const kind = this.table.kind(id);
    switch (kind) {
      case Kind.None:
        return NaN;
      case Kind.File:
      case Kind.Directory:
      case Kind.Symlink: {
        // No references inside: the bytes are the content.
        const r = this.table.rawReader(id, this.leafReader);
        const h = this.hasher(depth).reset(kind);
        h.bytes(r.buf, r.pos, r.end);
        return h.digest();
      }
      case Kind.InputSet: {
        // Direct ids by kind field, then transitive sets, each field's ids in order: the order
        // readInputSet expands them in is a function of this sequence.
        const r = this.table.rawReader(id);
        const h = this.hasher(depth).reset(kind);
        const refs = (this.refLists[depth] ??= []);
        while (!r.done) {
          const tag = r.varint();
          const wireType = tag & 7;
          const field = tag >>> 3;
          // Only fields 1-5 as varint or packed ids are references (as readInputSet reads them).
          if (field < 1 || field > 5 || (wireType !== 0 && wireType !== 2)) {
            r.skip(wireType);
            continue;
          }
          refs.length = 0;
          r.uint32s(wireType, refs);
          for (const ref of refs) {
            h.u32(field);
            h.key(this.compute(ref, depth + 1));
          }
        }
        return h.digest();
      }
      case Kind.Runfiles: {
        const tree = this.table.input(id) as RunfilesInput;
        const h = this.hasher(depth).reset(kind);
        h.string(tree.path);
        h.string(this.invocation.workspaceRunfilesDirectory);
        h.u32(
          (this.invocation.siblingRepositoryLayout ? 1 : 0) | (tree.legacyExternalRunfiles ? 2 : 0),
        );
        h.key(this.compute(tree.inputSetId, depth + 1));
        h.key(this.compute(tree.symlinksId, depth + 1));
        h.key(this.compute(tree.rootSymlinksId, depth + 1));
        for (const empty of tree.emptyFiles) h.string(empty);
        const manifest = tree.repoMappingManifest;
        h.u32(manifest ? 1 : 0);
        if (manifest)
          h.string(manifest.digest ? `${manifest.digest.hash}/${manifest.digest.sizeBytes}` : '');
        return h.digest();
      }
      case Kind.SymlinkSet: {
        const set: SymlinkEntrySet = this.table.symlinkSet(id);
        const h = this.hasher(depth).reset(kind);
        for (const [path, target] of set.direct) {
          h.string(path);
          h.key(this.compute(target, depth + 1));
        }
        for (const t of set.transitive) h.key(this.compute(t, depth + 1));
        return h.digest();
      }
    }
    return NaN;
  }

  private hasher(depth: number): Hasher {
    return (this.hashers[depth] ??= new Hasher());
  }

  private grow(id: number): void {
    let size = this.keys.length;
    while (size <= id) size *= 2;
    const next = new Float64Array(size);
    next.set(this.keys);
    this.keys = next;
  }
}

const MAX_DEPTH = 1000;

/** Output fields that hold an entry id: 1, 2, 3 (7.x) and 5 (8.x), as bits. */
const OUTPUT_ID_FIELDS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5);

/**
 * Two independent 32-bit lanes (murmur3's block mix, and one with xxHash's primes) over
 * little-endian words, finalised to 53 bits.
 */
class Hasher {
  private a = 0;
  private b = 0;
  /** Set when a NaN (unknown) key went in: the result is NaN too. */
  private unknown = false;

  reset(seed: number): this {
    this.a = seed >>> 0;
    this.b = Math.imul(seed ^ 0x9747b28c, 0x5bd1e995) >>> 0;
    this.unknown = false;
    return this;
  }

  bytes(buf: Uint8Array, start: number, end: number): void {
    this.u32(end - start);
    let i = start;
    for (; i + 4 <= end; i += 4) {
      this.u32(buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    }
    let tail = 0;
    for (let shift = 0; i < end; i++, shift += 8) tail |= buf[i] << shift;
    this.u32(tail);
  }

  u32(x: number): void {
    let k = Math.imul(x, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    let a = this.a ^ Math.imul(k, 0x1b873593);
    a = (a << 13) | (a >>> 19);
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = this.b + Math.imul(x, 0x85ebca77);
    b = (b << 13) | (b >>> 19);
    this.b = Math.imul(b, 0x9e3779b1);
  }

  string(s: string): void {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.u32(s.charCodeAt(i));
  }

  /** A 53-bit key of another entry: both its 32-bit halves. */
  key(k: number): void {
    if (Number.isNaN(k)) this.unknown = true;
    this.u32(k % 0x100000000);
    this.u32(Math.floor(k / 0x100000000));
  }

  digest(): number {
    if (this.unknown) return NaN;
    const a = fmix(this.a);
    const b = fmix(this.b ^ a);
    // 21 bits of b above 32 of a; never 0, which marks "not computed".
    return (b >>> 11) * 0x100000000 + a || 1;
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
