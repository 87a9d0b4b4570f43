// The sink's faster decoding paths give exactly what the plain generated code gives: events
// decoded into the cheap-oneof prototypes (fast-oneof.ts) against BuildEvent.decode + toObject,
// over every real Bazel BEP fixture and the benchmark's generated stream; acks built by
// AckEncoder against the protobufjs encoding of the same message.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateBepStream } from '../../../bench/bep-generate';
import { bepEventFromMessage, decodeBepEvent, decodeBepMessage } from '../../../src/bep/decode';
import { withCheapOneOf } from '../../../src/bep/fast-oneof';
import { AckEncoder } from '../../../src/bes/service';
import { build_event_stream, google } from '../../../src/gen/protos';
import { DelimitedSplitter } from '../../../src/util/delimited-splitter';
import { bazelScenarios } from '../cli-log/shared-fixtures';

const plain = (bytes: Uint8Array): unknown =>
  bepEventFromMessage(build_event_stream.BuildEvent.decode(bytes));

function records(file: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  new DelimitedSplitter().push(fs.readFileSync(file), (r) => out.push(r.bytes.slice()));
  return out;
}

describe('BEP decoding speed-ups', () => {
  it('every event of the real Bazel fixtures decodes the same as with the generated code', () => {
    let seen = 0;
    for (const scenario of bazelScenarios()) {
      for (const bytes of records(path.join(scenario, 'bep.bin'))) {
        assert.deepEqual(decodeBepEvent(bytes), plain(bytes));
        seen++;
      }
    }
    assert.ok(seen > 100, `only ${seen} events`);
  });

  it('the generated benchmark stream decodes the same, and an event without id holds {}', () => {
    const { events } = generateBepStream({ events: 3000 }, 7);
    for (const bytes of events) assert.deepEqual(decodeBepEvent(bytes), plain(bytes));
    const noId = build_event_stream.BuildEvent.encode({ progress: { stdout: 'x' } }).finish();
    assert.deepEqual(decodeBepEvent(noId), { id: {}, progress: { stdout: 'x' } });
    assert.equal(decodeBepMessage(noId).payload, 'progress');
    assert.throws(() => decodeBepEvent(Uint8Array.from([0x0a, 0x05, 0x01])));
  });

  it('the cheap oneof setter keeps only the last member, like the generated one', () => {
    // Two payload members in one record: proto3 says the last one wins.
    const a = build_event_stream.BuildEvent.encode({ progress: { stdout: 'a' } }).finish();
    const b = build_event_stream.BuildEvent.encode({ aborted: { description: 'b' } }).finish();
    const both = Buffer.concat([a, b]);
    assert.deepEqual(decodeBepEvent(both), plain(both));
    assert.equal(decodeBepMessage(both).payload, 'aborted');
    assert.equal(decodeBepMessage(both).progress, null);
    assert.throws(() => withCheapOneOf(build_event_stream.Progress.prototype, 'nope'), /oneof/);
  });

  it('acks are the bytes protobufjs encodes, across stream ids and sequence numbers', () => {
    const acks = new AckEncoder();
    const ids = [
      { buildId: 'b1', invocationId: 'i1', component: 3 },
      { buildId: 'b1', invocationId: 'i1', component: 3 },
      { buildId: 'b2', invocationId: '', component: 0 },
      { buildId: '', invocationId: 'i3', component: 1 },
      null,
    ];
    for (const streamId of ids) {
      for (const seq of [0, 1, 127, 128, 300, 2 ** 31 + 5, 2 ** 40 + 3]) {
        const expected = google.devtools.build.v1.PublishBuildToolEventStreamResponse.encode({
          streamId,
          sequenceNumber: seq,
        }).finish();
        assert.deepEqual(
          new Uint8Array(acks.encode(streamId, seq)),
          new Uint8Array(expected),
          `${JSON.stringify(streamId)} ${seq}`,
        );
      }
    }
  });
});
