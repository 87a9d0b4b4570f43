// Its own module, apart from the binary reader, so that reading JSON logs (the history store
// keeps them) does not load the generated protobuf code: the editor's activation stays cheap.
import { InputError } from '../util/errors';
import { JsonValueSplitter } from '../util/json-value-splitter';
import { SplittingSpawnDecoder } from './decoder';
import { spawnFromJson } from './spawn-exec';
import type { Spawn } from './types';

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
