// BEP readers under fuzzing, seeded from the real recordings in ../shared/fixtures: binary
// files, JSON files, and BES gRPC payloads as the sink decodes them. Each case mutates a
// window of real records and checks the outcome: events read, or one located InputError.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BepJsonStreamDecoder, BepStreamDecoder, type BepDecoder } from '../../../src/bep';
import { decodeBepEvent } from '../../../src/bep/decode';
import { Redactor } from '../../../src/bes/redact';
import { google } from '../../../src/gen/protos';
import { InputError } from '../../../src/util/errors';
import { assertLocatedInputError, runFuzz, sharedFiles } from '../../helpers/fuzz-check';
import {
  delimitedWindow,
  lineWindow,
  mutate,
  randomChunks,
  splitDelimited,
  type Prng,
} from '../../helpers/fuzz-mutate';

const v1 = google.devtools.build.v1;
const BEP_TYPE_URL = 'type.googleapis.com/build_event_stream.BuildEvent';

/** Feeds `bytes` in random chunks; returns the events, or the thrown error checked. */
function decodeAll(decoder: BepDecoder, bytes: Uint8Array, rng: Prng, source: string): number {
  let events = 0;
  try {
    for (const chunk of randomChunks(bytes, rng)) {
      for (const event of decoder.push(chunk)) {
        assert.equal(typeof event, 'object');
        assert.equal(typeof event.id, 'object');
        events++;
      }
    }
    decoder.finish();
  } catch (err) {
    assertLocatedInputError(err, source, bytes.length);
    // The damage is remembered: reading on repeats it instead of trusting later bytes.
    assert.throws(() => decoder.finish(), InputError);
  }
  return events;
}

interface Seeds {
  name: string;
  records: Uint8Array[];
}

function binarySeeds(): Seeds[] {
  return sharedFiles('fixtures', (n) => n === 'bep.bin').map((file) => ({
    name: path.relative(path.resolve(file, '../../..'), file),
    records: splitDelimited(fs.readFileSync(file)),
  }));
}

function jsonSeeds(): { name: string; lines: string[] }[] {
  return sharedFiles('fixtures', (n) => n === 'bep.json' || /\.(nd)?json$/.test(n))
    .filter((f) => f.includes('bep') || f.includes('bb-portal') || f.includes('analytics-cli'))
    .map((file) => ({
      name: path.basename(file),
      lines: fs.readFileSync(file, 'utf8').split('\n'),
    }));
}

describe('fuzz: BEP', function () {
  this.timeout(180_000);

  it('binary files: every damaged stream reads or fails with a located InputError', () => {
    const seeds = binarySeeds();
    let decoded = 0;
    let refused = 0;
    const cases = runFuzz(
      'bep-binary',
      (rng) => {
        const seed = rng.pick(seeds);
        return {
          seed: seed.name,
          mutant: mutate(delimitedWindow(seed.records, rng), rng, 'binary'),
        };
      },
      (c, rng) => {
        const decoder = new BepStreamDecoder('fuzz.bep.bin');
        decodeAll(decoder, c.mutant.bytes, rng, 'fuzz.bep.bin');
        if (decoder.error) refused++;
        else decoded++;
      },
    );
    // Both outcomes happen: a fuzzer that only ever hits one of them is not fuzzing.
    assert.ok(decoded > 0 && refused > 0, `decoded ${decoded}, refused ${refused}`);
    console.log(`      bep-binary: ${cases} cases, ${decoded} read, ${refused} refused`);
  });

  it('JSON files: every damaged stream reads or fails with a located InputError', () => {
    const seeds = jsonSeeds();
    let decoded = 0;
    let refused = 0;
    const cases = runFuzz(
      'bep-json',
      (rng) => {
        const seed = rng.pick(seeds);
        const text = new TextEncoder().encode(lineWindow(seed.lines, rng, 12));
        return { seed: seed.name, mutant: mutate(text, rng, 'text') };
      },
      (c, rng) => {
        const decoder = new BepJsonStreamDecoder('fuzz.bep.json');
        decodeAll(decoder, c.mutant.bytes, rng, 'fuzz.bep.json');
        if (decoder.error) refused++;
        else decoded++;
      },
    );
    assert.ok(decoded > 0 && refused > 0, `decoded ${decoded}, refused ${refused}`);
    console.log(`      bep-json: ${cases} cases, ${decoded} read, ${refused} refused`);
  });

  it('gRPC payloads: a damaged request or event is refused as the sink refuses it, never thrown past it', () => {
    const seeds = binarySeeds();
    let delivered = 0;
    let refused = 0;
    const cases = runFuzz(
      'bes-grpc',
      (rng) => {
        const seed = rng.pick(seeds);
        const record = rng.pick(seed.records);
        // Strip the record's own length prefix: a BES request carries the bare BuildEvent.
        const bare = splitDelimitedPayload(record);
        const request = v1.PublishBuildToolEventStreamRequest.encode({
          orderedBuildEvent: {
            streamId: { buildId: 'b', invocationId: 'i', component: 3 },
            sequenceNumber: 1 + rng.int(1000),
            event: { bazelEvent: { type_url: BEP_TYPE_URL, value: bare } },
          },
        }).finish();
        return { seed: seed.name, mutant: mutate(request, rng, 'binary') };
      },
      (c) => {
        // The sink's steps (src/bes/service.ts, src/bes/sink.ts): decode the request, then the
        // Any's BuildEvent, then redact. The first two may throw (the call gets
        // INVALID_ARGUMENT); redaction of whatever decoded must not.
        let request;
        try {
          request = v1.PublishBuildToolEventStreamRequest.decode(c.mutant.bytes);
        } catch (err) {
          assert.ok(err instanceof Error, 'protobufjs threw a non-Error');
          refused++;
          return;
        }
        const value = request.orderedBuildEvent?.event?.bazelEvent?.value;
        if (!value) return;
        let event;
        try {
          event = decodeBepEvent(value);
        } catch (err) {
          assert.ok(err instanceof Error, 'protobufjs threw a non-Error');
          refused++;
          return;
        }
        const redacted = new Redactor().event(event);
        assert.equal(typeof redacted, 'object');
        delivered++;
      },
    );
    assert.ok(delivered > 0 && refused > 0, `delivered ${delivered}, refused ${refused}`);
    console.log(`      bes-grpc: ${cases} cases, ${delivered} delivered, ${refused} refused`);
  });

  it('a huge length prefix allocates nothing near the length it announces', () => {
    // 4 GiB announced, 1 KiB given: the splitter refuses it or keeps only what arrived.
    const bytes = new Uint8Array(1029);
    bytes.set([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const before = process.memoryUsage().arrayBuffers;
    const decoder = new BepStreamDecoder('huge.bin');
    assert.deepEqual(decoder.push(bytes), []);
    assert.ok(decoder.error, 'a 4 GiB record was not refused');
    assertLocatedInputError(decoder.error, 'huge.bin', 0);
    // Just under the 64 MiB limit: waits for the bytes, holding only those that came.
    const under = new BepStreamDecoder('under.bin');
    under.push(Uint8Array.from([0xff, 0xff, 0xff, 0x1f, 1, 2, 3]));
    assert.equal(under.error, null);
    assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024);
    assert.throws(() => under.finish(), /truncated record/);
  });
});

/** The payload of one varint-delimited record. */
function splitDelimitedPayload(record: Uint8Array): Uint8Array {
  let p = 0;
  while (record[p] >= 0x80) p++;
  return record.subarray(p + 1);
}

describe('fuzz: BEP regressions', () => {
  it('a binary record without an id decodes with an empty id, as the JSON decoder gives it', () => {
    // Found by the binary fuzzer: BepEvent.id is required, the decoder left it undefined.
    assert.deepEqual(decodeBepEvent(new Uint8Array(0)).id, {});
    const decoder = new BepStreamDecoder('no-id.bin');
    const [event] = decoder.push(Uint8Array.from([0]));
    assert.deepEqual(event?.id, {});
  });
});
