import { bepDecoderFor, eventKind, type BepEvent } from '../bep';
import { spawnDecoderFor, type LogFormat, type Spawn } from '../execlog';
import { InputError } from '../util/errors';
import { readChunks, readHead } from '../util/read-chunks';
import { detectLogFormat } from './detect';

export interface LogContents {
  format: LogFormat;
  /** Filled for execution logs. */
  spawns: Spawn[];
  /** Count of BEP events per id kind, named as in BEP JSON (`actionCompleted`); BEP files only. */
  events: Record<string, number>;
  /** The BEP events themselves, in file order. */
  bepEvents: BepEvent[];
  /** The first damage (everything before it is above), or null. */
  error: InputError | null;
}

/**
 * Reads any execution log or BEP file Bazel writes, its format detected from the content.
 * A damaged file gives what comes before the damage and the located error; only a file that
 * cannot be read at all throws.
 */
export async function readLog(path: string): Promise<LogContents> {
  const { head, size } = await readHead(path);
  const format = detectLogFormat(head, size);
  const result: LogContents = { format, spawns: [], events: {}, bepEvents: [], error: null };
  if (format === 'empty') return result;
  const isBep = format === 'bep-binary' || format === 'bep-json';
  const decoder = isBep ? bepDecoderFor(format, path) : spawnDecoderFor(format, path);
  const take = (chunk: Uint8Array) => {
    if (isBep) {
      for (const event of decoder.push(chunk) as BepEvent[]) {
        result.bepEvents.push(event);
        const kind = eventKind(event);
        result.events[kind] = (result.events[kind] ?? 0) + 1;
      }
    } else {
      for (const spawn of decoder.push(chunk) as Spawn[]) result.spawns.push(spawn);
    }
  };
  try {
    for await (const chunk of readChunks(path)) {
      take(chunk);
      if (decoder.error) throw decoder.error;
    }
    decoder.finish();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const nothingRead = result.spawns.length === 0 && result.bepEvents.length === 0;
    result.error =
      nothingRead && err.offset === 0
        ? new InputError(
            `${err.message} (read as ${format}: is this an execution log or a BEP file?)`,
            err.source,
            err.offset,
          )
        : err;
  }
  return result;
}
