import { DelimitedSplitter } from '../util/delimited-splitter';
import { InputError } from '../util/errors';
import { JsonValueSplitter } from '../util/json-value-splitter';
import { decodeBepEvent } from './decode';
import type { BepEvent } from './types';

/** A decoded event and the byte offset of its record (length prefix or `{`) in the file. */
export interface LocatedBepEvent {
  offset: number;
  event: BepEvent;
}

/**
 * Incremental BEP decoding, for reading a whole file and for TAILING one that Bazel is still
 * writing (`--build_event_binary_file` / `--build_event_json_file` are flushed in pieces, so
 * the last record may be partial). `push` returns the events completed by a chunk and keeps
 * the partial tail. On damage, `push` still returns the events before it and keeps the error
 * in `error`; the next `push` or `finish` throws it, so nothing decoded is lost and nothing
 * after the damage is trusted. `finish` also throws a located InputError if the stream ended
 * inside a record.
 */
export interface BepDecoder {
  push(chunk: Uint8Array): BepEvent[];
  pushLocated(chunk: Uint8Array): LocatedBepEvent[];
  finish(): void;
  /** The first damage found, or null. */
  readonly error: InputError | null;
  /** Events decoded so far. */
  readonly count: number;
}

abstract class BaseBepDecoder implements BepDecoder {
  error: InputError | null = null;
  count = 0;

  push(chunk: Uint8Array): BepEvent[] {
    return this.pushLocated(chunk).map((located) => located.event);
  }

  pushLocated(chunk: Uint8Array): LocatedBepEvent[] {
    if (this.error) throw this.error;
    const out: LocatedBepEvent[] = [];
    try {
      this.split(chunk, out);
    } catch (err) {
      this.error = asInputError(err, this.source);
    }
    this.count += out.length;
    return out;
  }

  finish(): void {
    if (this.error) throw this.error;
    try {
      this.end();
    } catch (err) {
      this.error = asInputError(err, this.source);
      throw this.error;
    }
  }

  constructor(protected readonly source?: string) {}

  protected abstract split(chunk: Uint8Array, out: LocatedBepEvent[]): void;
  protected abstract end(): void;
}

/** `--build_event_binary_file`: varint-delimited `build_event_stream.BuildEvent` messages. */
export class BepStreamDecoder extends BaseBepDecoder {
  private readonly splitter = new DelimitedSplitter(this.source);

  protected split(chunk: Uint8Array, out: LocatedBepEvent[]): void {
    this.splitter.push(chunk, ({ offset, bytes }) => {
      let event: BepEvent;
      try {
        event = decodeBepEvent(bytes);
      } catch (err) {
        throw new InputError(
          `malformed BuildEvent record: ${err instanceof Error ? err.message : String(err)}`,
          this.source,
          offset,
        );
      }
      out.push({ offset, event });
    });
  }

  protected end(): void {
    this.splitter.finish();
  }
}

/**
 * `--build_event_json_file` (one event per line) and pretty-printed events concatenated with
 * no separator: both are a stream of JSON objects.
 */
export class BepJsonStreamDecoder extends BaseBepDecoder {
  private readonly splitter = new JsonValueSplitter(this.source);

  protected split(chunk: Uint8Array, out: LocatedBepEvent[]): void {
    this.splitter.push(chunk, ({ offset, text }) => {
      out.push({ offset, event: parseBepJson(text, offset, this.source) });
    });
  }

  protected end(): void {
    this.splitter.finish();
  }
}

function parseBepJson(text: string, offset: number, source?: string): BepEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      `malformed JSON event: ${err instanceof Error ? err.message : String(err)}`,
      source,
      offset,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('expected a BuildEvent JSON object', source, offset);
  }
  const event = value as BepEvent;
  // Proto3 JSON leaves out an unset id; `{}` is an all-default BuildEvent (see eventKind).
  if (event.id === undefined) event.id = {};
  else if (typeof event.id !== 'object' || event.id === null || Array.isArray(event.id)) {
    throw new InputError('the event\'s "id" is not an object', source, offset);
  }
  return event;
}

function asInputError(err: unknown, source?: string): InputError {
  if (err instanceof InputError) return err;
  return new InputError(err instanceof Error ? err.message : String(err), source);
}
