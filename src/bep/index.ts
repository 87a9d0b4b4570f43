import { InputError } from '../util/errors';
import { readChunks, readHead } from '../util/read-chunks';
import { BepJsonStreamDecoder, BepStreamDecoder, type BepDecoder } from './stream-decoder';
import type { BepEvent } from './types';

export * from './types';
export { bepEventFromMessage, decodeBepEvent } from './decode';
export {
  BepJsonStreamDecoder,
  BepStreamDecoder,
  type BepDecoder,
  type LocatedBepEvent,
} from './stream-decoder';

export type BepFileFormat = 'bep-binary' | 'bep-json' | 'empty';

/**
 * BEP JSON files start with `{` (after optional whitespace); binary ones with a varint length,
 * which is never `{` (0x7b) or whitespace for a BuildEvent because its first field is the id.
 */
export function bepFormatOf(head: Uint8Array, size: number): BepFileFormat {
  if (size === 0) return 'empty';
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b ? 'bep-json' : 'bep-binary';
  }
  // Only whitespace: a JSON file with no events.
  return 'bep-json';
}

/** A decoder for the given format (an empty file decodes with the binary one: no records). */
export function bepDecoderFor(format: BepFileFormat, source?: string): BepDecoder {
  return format === 'bep-json' ? new BepJsonStreamDecoder(source) : new BepStreamDecoder(source);
}

/**
 * Streams the events of a BEP file in any format Bazel writes. Memory holds one record at a
 * time. On damage it yields every event before it, then throws one located InputError.
 */
export async function* streamBepFile(
  path: string,
  format?: BepFileFormat,
): AsyncGenerator<BepEvent> {
  let chosen = format;
  if (chosen === undefined) {
    const { head, size } = await readHead(path);
    chosen = bepFormatOf(head, size);
  }
  const decoder = bepDecoderFor(chosen, path);
  for await (const chunk of readChunks(path)) {
    const events = decoder.push(chunk);
    for (const event of events) yield event;
    if (decoder.error) throw decoder.error;
  }
  decoder.finish();
}

/**
 * Reads a whole BEP file: the events before any damage, and the damage as `error`. Throws an
 * InputError only when the file cannot be read at all.
 */
export async function readBepFile(
  path: string,
): Promise<{ format: BepFileFormat; events: BepEvent[]; error: InputError | null }> {
  const { head, size } = await readHead(path);
  const format = bepFormatOf(head, size);
  const events: BepEvent[] = [];
  // Batches per chunk rather than the generator: no await per event.
  const decoder = bepDecoderFor(format, path);
  try {
    for await (const chunk of readChunks(path)) {
      for (const event of decoder.push(chunk)) events.push(event);
      if (decoder.error) throw decoder.error;
    }
    decoder.finish();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { format, events, error: err };
  }
  return { format, events, error: null };
}
