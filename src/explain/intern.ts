import type { Spawn, SpawnFile } from '../execlog/types';

const EMPTY: readonly { name: string; value: string }[] = [];

/**
 * Shares equal strings and equal files between the spawns of both builds. Readers give every
 * spawn its own copies (a header read by 5,000 compiles is 5,000 objects); kept as they are,
 * two 100,000-action logs take gigabytes. Interned, an unchanged input of OLD and NEW is the
 * very same object, so the diff also compares most inputs by identity.
 */
export class SpawnInterner {
  private readonly strings = new Map<string, string>();
  /** The latest file object per path; a path with another digest gets its own object. */
  private readonly files = new Map<string, SpawnFile>();

  string(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  /**
   * Reader objects already seen in the log being read: compact logs share one object per file
   * entry between spawns, so most lookups are by identity. Reset per log (see `nextLog`).
   */
  private seen = new WeakMap<SpawnFile, SpawnFile>();

  /** Forgets the previous log's reader objects (they must not be kept alive). */
  nextLog(): void {
    this.seen = new WeakMap();
  }

  file(f: SpawnFile): SpawnFile {
    const same = this.seen.get(f);
    if (same !== undefined) return same;
    const interned = this.byPath(f);
    this.seen.set(f, interned);
    return interned;
  }

  private byPath(f: SpawnFile): SpawnFile {
    const known = this.files.get(f.path);
    if (
      known !== undefined &&
      known.isTool === f.isTool &&
      known.symlinkTarget === f.symlinkTarget &&
      (known.digest === null
        ? f.digest === null
        : f.digest !== null && known.digest.hash === f.digest.hash)
    ) {
      return known;
    }
    const copy: SpawnFile = {
      path: this.string(f.path),
      // Number(): some readers hand int64 sizes over as Long objects.
      digest: f.digest ? { hash: f.digest.hash, sizeBytes: Number(f.digest.sizeBytes) } : null,
      isTool: f.isTool,
      symlinkTarget: f.symlinkTarget,
    };
    this.files.set(copy.path, copy);
    return copy;
  }

  /** Env and platform lists repeat across most spawns: equal lists share one array. */
  private readonly lists = new Map<string, readonly { name: string; value: string }[]>();

  private namedValues(
    list: readonly { name: string; value: string }[],
  ): readonly { name: string; value: string }[] {
    if (list.length === 0) return EMPTY;
    const key = list.map((v) => `${v.name}=${v.value}`).join('\u0000');
    const known = this.lists.get(key);
    if (known) return known;
    const copy = list.map((v) => ({ name: this.string(v.name), value: this.string(v.value) }));
    this.lists.set(key, copy);
    return copy;
  }

  spawn(s: Spawn): Spawn {
    return {
      ...s,
      mnemonic: this.string(s.mnemonic),
      label: s.label === null ? null : this.string(s.label),
      // Arguments are mostly unique paths: interning them costs more time than it saves memory.
      args: s.args,
      env: this.namedValues(s.env),
      platform: this.namedValues(s.platform),
      inputs: s.inputs.map((f) => this.file(f)),
      listedOutputs: s.listedOutputs.map((o) => this.string(o)),
      actualOutputs: s.actualOutputs.map((f) => this.file(f)),
      runner: this.string(s.runner),
    };
  }
}
