/**
 * The PublishBuildToolEventStream requests Bazel sends for a BEP stream: one per event with
 * sequence numbers 1..N, then component_stream_finished. Encoded with our own schema.
 */
import { clientCodec } from '../src/bes/service';

export const BEP_TYPE_URL = 'type.googleapis.com/build_event_stream.BuildEvent';
/** BuildComponent TOOL (3): the tool's own event stream. */
const TOOL_COMPONENT = 3;

export function toolStreamRequests(invocationId: string, events: readonly Uint8Array[]): Buffer[] {
  const streamId = { buildId: `build-${invocationId}`, invocationId, component: TOOL_COMPONENT };
  const requests = events.map((value, i) =>
    clientCodec.encodeStreamRequest({
      orderedBuildEvent: {
        streamId,
        sequenceNumber: i + 1,
        event: { bazelEvent: { type_url: BEP_TYPE_URL, value } },
      },
    }),
  );
  requests.push(
    clientCodec.encodeStreamRequest({
      orderedBuildEvent: {
        streamId,
        sequenceNumber: events.length + 1,
        event: { componentStreamFinished: { type: 1 } },
      },
    }),
  );
  return requests;
}
