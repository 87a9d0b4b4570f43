// Tailing BEP files that Bazel is still writing: events come out as soon as their record is
// complete, whatever the chunking; a partial tail waits; damage keeps what came before.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import fc from 'fast-check';
import {
  BepJsonStreamDecoder,
  BepStreamDecoder,
  readBepFile,
  type BepDecoder,
  type BepEvent,
} from '../../../src/bep';
import { InputError } from '../../../src/util/errors';
import { fixturesDir } from '../cli-log/shared-fixtures';

function feed(decoder: BepDecoder, bytes: Uint8Array, sizes: number[]): BepEvent[] {
  const events: BepEvent[] = [];
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length]);
    events.push(...decoder.push(bytes.subarray(pos, pos + size)));
    pos += size;
  }
  return events;
}

describe('BEP stream decoders', () => {
  const binFile = fixturesDir('bazel-4.2.3', '08-tests-pass-and-fail', 'bep.bin');
  const jsonFile = fixturesDir('bazel-4.2.3', '08-tests-pass-and-fail', 'bep.json');

  it('decode the binary and the JSON twin into the same events, by kind and label', async () => {
    const bin = await readBepFile(binFile);
    const json = await readBepFile(jsonFile);
    assert.equal(bin.error, null);
    assert.equal(json.error, null);
    assert.deepEqual(
      bin.events.map((e) => e.id),
      json.events.map((e) => e.id),
    );
    const status = (events: BepEvent[]) =>
      events.flatMap((e) => (e.testResult ? [e.testResult.status] : []));
    assert.deepEqual(status(bin.events), status(json.events));
    assert.ok(status(bin.events).includes('FAILED') && status(bin.events).includes('PASSED'));
  });

  for (const [name, file, make] of [
    ['binary', binFile, () => new BepStreamDecoder('bep')],
    ['JSON', jsonFile, () => new BepJsonStreamDecoder('bep')],
  ] as const) {
    it(`${name}: any chunking yields the same events as one read`, async () => {
      const bytes = fs.readFileSync(file);
      const whole = (await readBepFile(file)).events;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }),
          async (sizes) => {
            const decoder = make();
            const events = feed(decoder, bytes, sizes);
            decoder.finish();
            assert.deepEqual(events, whole);
            assert.equal(decoder.count, whole.length);
          },
        ),
        { numRuns: 30 },
      );
    });

    it(`${name}: a partial last record waits for more bytes, and finish() locates it`, async () => {
      const bytes = fs.readFileSync(file);
      const whole = (await readBepFile(file)).events;
      const decoder = make();
      const located = decoder.pushLocated(bytes.subarray(0, bytes.length - 10));
      assert.equal(located.length, whole.length - 1, 'all but the cut last event');
      assert.equal(decoder.error, null, 'a partial record is not damage while tailing');
      const lastOffset = located[located.length - 1].offset;
      assert.ok(lastOffset > 0);
      assert.throws(
        () => decoder.finish(),
        (err: unknown) =>
          err instanceof InputError &&
          err.source === 'bep' &&
          typeof err.offset === 'number' &&
          err.offset > lastOffset,
      );
      // Tailing continues: the rest arrives later.
      const tail = make();
      tail.push(bytes.subarray(0, bytes.length - 10));
      assert.deepEqual(tail.push(bytes.subarray(bytes.length - 10)), [whole[whole.length - 1]]);
      tail.finish();
    });
  }

  it('keeps the events before damage in the same chunk and throws the error on the next call', () => {
    const bytes = fs.readFileSync(binFile);
    const offsets = new BepStreamDecoder().pushLocated(bytes).map((e) => e.offset);
    const two = bytes.subarray(0, offsets[1]); // the first record only
    const damaged = Buffer.concat([two, Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff])]);
    const decoder = new BepStreamDecoder('bep');
    const events = decoder.pushLocated(damaged);
    assert.equal(events.length, 1);
    assert.equal(events[0].offset, 0);
    assert.ok(decoder.error);
    assert.equal(decoder.error.offset, two.length);
    assert.throws(() => decoder.push(Buffer.from([0])), InputError);
    assert.throws(() => decoder.finish(), InputError);
  });

  it('reads `{}` as one event with no id, of kind "unknown"', () => {
    const decoder = new BepJsonStreamDecoder('x');
    const events = decoder.push(Buffer.from('{}\n'));
    decoder.finish();
    assert.deepEqual(events, [{ id: {} }]);
  });

  it('gives a binary record without an id an empty id, as the JSON decoder does', () => {
    const decoder = new BepStreamDecoder('x');
    const events = decoder.push(Buffer.from([0x00]));
    decoder.finish();
    assert.deepEqual(events, [{ id: {} }]);
  });

  it('rejects JSON that is not an event object, at its offset', () => {
    for (const [text, offset] of [
      ['{"id":{"started":{}}}\n[1]\n', 22],
      ['{"id":{"started":{}}}\n{"id":3}\n', 22],
      ['{"id":{"started":{}}}\n{"id":{}, bad}\n', 22],
      ['{"id":{"started":{}}}\nxyz', 22],
    ] as const) {
      const decoder = new BepJsonStreamDecoder('x');
      assert.equal(decoder.push(Buffer.from(text)).length, 1, text);
      assert.equal(decoder.error?.offset, offset, text);
    }
  });
});
