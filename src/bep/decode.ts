import { build_event_stream } from '../gen/protos';
import type { BepEvent } from './types';

const BuildEvent = build_event_stream.BuildEvent;

/**
 * Decodes one serialized `build_event_stream.BuildEvent` message (throws on malformed bytes).
 * The generated decoders' oneof setters are the cheap kind (scripts/gen-protos.js).
 */
export function decodeBepMessage(bytes: Uint8Array): build_event_stream.BuildEvent {
  return BuildEvent.decode(bytes);
}

/** The JSON-mapping shape of a decoded binary event (see types.ts). */
export function bepEventFromMessage(message: build_event_stream.BuildEvent): BepEvent {
  const event = BuildEvent.toObject(message, {
    longs: String,
    enums: String,
    bytes: String,
    json: true,
  }) as BepEvent;
  // A record without an id (damaged, or an all-default event) still has an object there, as
  // the JSON decoder gives it: BepEvent.id is not optional and readers index into it.
  if (event.id === undefined) event.id = {};
  return event;
}

/** Decodes one serialized `build_event_stream.BuildEvent` (throws on malformed bytes). */
export function decodeBepEvent(bytes: Uint8Array): BepEvent {
  return bepEventFromMessage(decodeBepMessage(bytes));
}
