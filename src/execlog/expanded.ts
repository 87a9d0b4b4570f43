import { tools } from '../gen/protos';
import { DelimitedSplitter } from '../util/delimited-splitter';
import { InputError } from '../util/errors';
import { JsonValueSplitter } from '../util/json-value-splitter';
import { spawnFromJson, spawnFromMessage } from './spawn-exec';
import type { Spawn } from './types';

const SpawnExec = tools.protos.SpawnExec;

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

abstract class SplittingSpawnDecoder implements SpawnDecoder {
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

/** `--execution_log_binary_file`: varint-delimited `SpawnExec`. */
export class SpawnBinaryDecoder extends SplittingSpawnDecoder {
  private readonly splitter = new DelimitedSplitter(this.source);

  protected split(chunk: Uint8Array, out: Spawn[]): void {
    this.splitter.push(chunk, ({ offset, bytes }) => {
      let message;
      try {
        message = SpawnExec.decode(bytes);
      } catch (err) {
        throw new InputError(
          `malformed SpawnExec record: ${err instanceof Error ? err.message : String(err)}`,
          this.source,
          offset,
        );
      }
      out.push(spawnFromMessage(message, this.count++));
    });
  }

  protected end(): void {
    this.splitter.finish();
  }
}

/**
 * `--execution_log_json_file`: pretty-printed `SpawnExec` objects concatenated (Bazel 4.x) or
 * one per line (newer); both are a stream of JSON objects.
 */
export class SpawnJsonDecoder extends SplittingSpawnDecoder {
  private readonly splitter = new JsonValueSplitter(this.source);

  protected split(chunk: Uint8Array, out: Spawn[]): void {
    this.splitter.push(chunk, ({ offset, text }) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new InputError(
          `malformed JSON SpawnExec: ${err instanceof Error ? err.message : String(err)}`,
          this.source,
          offset,
        );
      }
      out.push(spawnFromJson(value, this.count++, this.source, offset));
    });
  }

  protected end(): void {
    this.splitter.finish();
  }
}
