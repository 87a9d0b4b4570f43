import { InputError } from '../util/errors';
import type { Spawn } from './types';

/**
 * Incremental decoding of an execution log: `push` returns the spawns a chunk completes.
 * On damage `push` returns the spawns before it and keeps the error; the next `push` or
 * `finish` throws it. `finish` also throws when the file ends inside a record.
 */
export interface SpawnDecoder {
  push(chunk: Uint8Array): Spawn[];
  finish(): void;
  readonly error: InputError | null;
}

export abstract class SplittingSpawnDecoder implements SpawnDecoder {
  error: InputError | null = null;
  protected count = 0;

  constructor(protected readonly source?: string) {}

  push(chunk: Uint8Array): Spawn[] {
    if (this.error) throw this.error;
    const out: Spawn[] = [];
    try {
      this.split(chunk, out);
    } catch (err) {
      this.error = err instanceof InputError ? err : new InputError(String(err), this.source);
    }
    return out;
  }

  finish(): void {
    if (this.error) throw this.error;
    try {
      this.end();
    } catch (err) {
      this.error = err instanceof InputError ? err : new InputError(String(err), this.source);
      throw this.error;
    }
  }

  protected abstract split(chunk: Uint8Array, out: Spawn[]): void;
  protected abstract end(): void;
}
