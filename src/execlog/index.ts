import { InputError } from '../util/errors';
import { readChunks, readHead } from '../util/read-chunks';
import { CompactLogDecoder, ZSTD_MAGIC } from './compact';
import { SpawnBinaryDecoder, SpawnJsonDecoder, type SpawnDecoder } from './expanded';
import type { LogFormat, Spawn } from './types';

export * from './types';
export { CompactLogDecoder } from './compact';
export { SpawnBinaryDecoder, SpawnJsonDecoder, type SpawnDecoder } from './expanded';
export { spawnFromJson, spawnFromMessage } from './spawn-exec';

export type ExecLogFormat = Extract<LogFormat, 'spawn-binary' | 'spawn-json' | 'compact' | 'empty'>;

/** The execution log format of a file's first bytes: zstd → compact, `{` → JSON, else binary. */
export function execLogFormatOf(head: Uint8Array, size: number): ExecLogFormat {
  if (size === 0) return 'empty';
  if (head.length >= 4 && ZSTD_MAGIC.every((b, i) => head[i] === b)) return 'compact';
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b ? 'spawn-json' : 'spawn-binary';
  }
  return 'spawn-json';
}

/** A decoder for an execution log format (an empty file decodes with the binary one). */
export function spawnDecoderFor(format: ExecLogFormat, source?: string): SpawnDecoder {
  if (format === 'compact') return new CompactLogDecoder(source);
  if (format === 'spawn-json') return new SpawnJsonDecoder(source);
  return new SpawnBinaryDecoder(source);
}

/**
 * Streams the spawns of an execution log in any format Bazel writes, detected from the content.
 * Memory holds one record at a time (plus, for compact logs, the interned entries). On damage
 * it yields every spawn before it, then throws one located InputError.
 */
export async function* streamExecLog(path: string, format?: ExecLogFormat): AsyncGenerator<Spawn> {
  let chosen = format;
  if (chosen === undefined) {
    const { head, size } = await readHead(path);
    chosen = execLogFormatOf(head, size);
  }
  const decoder = spawnDecoderFor(chosen, path);
  for await (const chunk of readChunks(path)) {
    const spawns = decoder.push(chunk);
    for (const spawn of spawns) yield spawn;
    if (decoder.error) throw decoder.error;
  }
  decoder.finish();
}

/**
 * Reads a whole execution log: the spawns before any damage, and the damage as `error`. Throws
 * an InputError only when the file cannot be read at all.
 */
export async function readExecLogFile(
  path: string,
): Promise<{ format: LogFormat; spawns: Spawn[]; error: InputError | null }> {
  const { head, size } = await readHead(path);
  const format = execLogFormatOf(head, size);
  const spawns: Spawn[] = [];
  // Batches per chunk, not the generator above: one await per spawn would cost more than
  // decoding it on logs of 10^5 spawns.
  const decoder = spawnDecoderFor(format, path);
  try {
    for await (const chunk of readChunks(path)) {
      for (const spawn of decoder.push(chunk)) spawns.push(spawn);
      if (decoder.error) throw decoder.error;
    }
    decoder.finish();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { format, spawns, error: err };
  }
  return { format, spawns, error: null };
}
