import { build_event_stream } from '../gen/protos';
import type { BepEvent } from './types';

const BuildEvent = build_event_stream.BuildEvent;

/** The JSON-mapping shape of a decoded binary event (see types.ts). */
export function bepEventFromMessage(message: build_event_stream.BuildEvent): BepEvent {
  return BuildEvent.toObject(message, {
    longs: String,
    enums: String,
    bytes: String,
    json: true,
  }) as BepEvent;
}

/** Decodes one serialized `build_event_stream.BuildEvent` (throws on malformed bytes). */
export function decodeBepEvent(bytes: Uint8Array): BepEvent {
  return bepEventFromMessage(BuildEvent.decode(bytes));
}
