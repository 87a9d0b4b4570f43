import { build_event_stream } from '../gen/protos';
import { withCheapOneOf } from './fast-oneof';
import type { BepEvent } from './types';

const BuildEvent = build_event_stream.BuildEvent;
const CheapEvent = withCheapOneOf(BuildEvent.prototype, 'payload');
const CheapId = withCheapOneOf(build_event_stream.BuildEventId.prototype, 'id');

/**
 * The generated decoder's full signature: (reader, length, end group, depth, message to merge
 * into). The last one lets us hand it instances with the cheap oneof setter (fast-oneof.ts).
 */
type MergingDecode = (
  reader: Uint8Array,
  length: undefined,
  endGroup: undefined,
  depth: number,
  into: build_event_stream.BuildEvent,
) => build_event_stream.BuildEvent;
const mergingDecode = BuildEvent.decode as unknown as MergingDecode;

/**
 * Decodes one serialized `build_event_stream.BuildEvent` message (throws on malformed bytes),
 * the same as `BuildEvent.decode`, except that an event without an id holds an empty one.
 */
export function decodeBepMessage(bytes: Uint8Array): build_event_stream.BuildEvent {
  const message = Object.create(CheapEvent) as build_event_stream.BuildEvent;
  // The decoder merges the id into this one rather than constructing a plain BuildEventId.
  message.id = Object.create(CheapId) as build_event_stream.BuildEventId;
  return mergingDecode(bytes, undefined, undefined, 0, message);
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
