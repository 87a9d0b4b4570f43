import { tools } from '../gen/protos';
import { DelimitedSplitter } from '../util/delimited-splitter';
import { InputError } from '../util/errors';
import { SplittingSpawnDecoder } from './decoder';
import { spawnFromMessage } from './spawn-exec';
import type { Spawn } from './types';

export { SplittingSpawnDecoder, type SpawnDecoder } from './decoder';
export { SpawnJsonDecoder } from './json-decoder';

const SpawnExec = tools.protos.SpawnExec;

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
