// The sink's faster decoding paths give exactly what protobufjs gives: the generated module's
// oneof setters (replaced by scripts/gen-protos.js with ones that only look at a message's own
// keys) against protobufjs' own setter, on every oneof and on real Bazel BEP; acks built by
// AckEncoder against the protobufjs encoding of the same message.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateBepStream } from '../../../bench/bep-generate';
import { bepEventFromMessage, decodeBepEvent, decodeBepMessage } from '../../../src/bep/decode';
import * as protobuf from 'protobufjs/minimal';
import { AckEncoder } from '../../../src/bes/service';
import * as protos from '../../../src/gen/protos';
import { build_event_stream, google } from '../../../src/gen/protos';
import { DelimitedSplitter } from '../../../src/util/delimited-splitter';
import { bazelScenarios } from '../cli-log/shared-fixtures';
import { repoRoot } from '../../helpers/paths';

/** protobufjs' own oneof setter, as the generated code had it. */
type Setter = (this: Record<string, unknown>, name: string) => void;
const libraryOneOfSetter = (protobuf.util as unknown as { oneOfSetter(fields: string[]): Setter })
  .oneOfSetter;

/** Every oneof of the generated module: its message prototype, name and members. */
function oneofs(): { type: string; proto: object; name: string; members: string[] }[] {
  const code = fs.readFileSync(path.join(repoRoot(), 'src', 'gen', 'protos.js'), 'utf8');
  const found = [];
  const re =
    /Object\.defineProperty\((\w+)\.prototype, "(\w+)", \{\s*get: \$util\.oneOfGetter\(\$oneOfFields = (\[[^\]]*\])\)/g;
  const all = collectTypes();
  for (const m of code.matchAll(re)) {
    const [, type = '', name = '', fields = '[]'] = m;
    const ctor = all
      .get(type)
      ?.find((c) => Object.getOwnPropertyDescriptor(c.prototype, name)?.set !== undefined);
    assert.ok(ctor, `no generated type ${type} with the oneof ${name}`);
    found.push({
      type,
      proto: ctor.prototype as object,
      name,
      members: JSON.parse(fields) as string[],
    });
  }
  return found;
}

/** Generated message constructors by their simple name (several namespaces may share one). */
function collectTypes(): Map<string, { prototype: unknown }[]> {
  const out = new Map<string, { prototype: unknown }[]>();
  const walk = (ns: Record<string, unknown>, depth: number): void => {
    for (const [key, value] of Object.entries(ns)) {
      if (typeof value === 'function' && 'decode' in value)
        out.set(key, [...(out.get(key) ?? []), value as { prototype: unknown }]);
      if (depth < 8 && value !== null && (typeof value === 'object' || typeof value === 'function'))
        walk(value as Record<string, unknown>, depth + 1);
    }
  };
  walk(protos as unknown as Record<string, unknown>, 0);
  return out;
}

function records(file: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  new DelimitedSplitter().push(fs.readFileSync(file), (r) => out.push(r.bytes.slice()));
  return out;
}

describe('BEP decoding speed-ups', () => {
  it('every event of the real Bazel fixtures decodes, each with one payload member', () => {
    const payload = oneofs().find((o) => o.type === 'BuildEvent' && o.name === 'payload');
    const payloadMembers = new Set(payload?.members);
    assert.ok(payloadMembers.size > 20);
    let seen = 0;
    for (const scenario of bazelScenarios()) {
      for (const bytes of records(path.join(scenario, 'bep.bin'))) {
        const message = decodeBepMessage(bytes);
        const held = Object.keys(message).filter((k) => payloadMembers.has(k));
        assert.deepEqual(held, message.payload === undefined ? [] : [message.payload]);
        assert.ok(decodeBepEvent(bytes).id);
        seen++;
      }
    }
    assert.ok(seen > 100, `only ${seen} events`);
  });

  it('the generated module has no protobufjs oneof setter left', () => {
    const code = fs.readFileSync(path.join(repoRoot(), 'src', 'gen', 'protos.js'), 'utf8');
    assert.ok(!code.includes('$util.oneOfSetter('), 'gen-protos did not replace a setter');
    assert.ok(oneofs().length >= 8, 'fewer oneofs than the schemas have');
  });

  it("every oneof setter leaves what protobufjs' own setter leaves", () => {
    for (const { type, proto, name, members } of oneofs()) {
      const setter = Object.getOwnPropertyDescriptor(proto, name)?.set;
      assert.ok(setter, `${type}.${name} has no setter`);
      const expected = libraryOneOfSetter(members);
      for (const keep of [...members, 'notAMember']) {
        // A message holding two members and a field of its own, as a decoder leaves it.
        const own = (): Record<string, unknown> => {
          const m = Object.create(proto) as Record<string, unknown>;
          for (const field of [members[0], members.at(-1), keep]) if (field) m[field] = {};
          m.unrelated = 1;
          return m;
        };
        const ours = own();
        const theirs = own();
        setter.call(ours, keep);
        expected.call(theirs, keep);
        assert.deepEqual(
          Object.keys(ours).sort(),
          Object.keys(theirs).sort(),
          `${type}.${name}=${keep}`,
        );
      }
    }
  });

  it('the generated benchmark stream decodes, and an event without id holds {}', () => {
    const { events } = generateBepStream({ events: 3000 }, 7);
    let actions = 0;
    for (const bytes of events) if (decodeBepEvent(bytes).action) actions++;
    assert.ok(actions > 0);
    const noId = build_event_stream.BuildEvent.encode({ progress: { stdout: 'x' } }).finish();
    assert.deepEqual(decodeBepEvent(noId), { id: {}, progress: { stdout: 'x' } });
    assert.equal(decodeBepMessage(noId).payload, 'progress');
    assert.throws(() => decodeBepEvent(Uint8Array.from([0x0a, 0x05, 0x01])));
  });

  it('a record with two members of a oneof keeps only the last, as proto3 says', () => {
    const a = build_event_stream.BuildEvent.encode({ progress: { stdout: 'a' } }).finish();
    const b = build_event_stream.BuildEvent.encode({ aborted: { description: 'b' } }).finish();
    const both = Buffer.concat([a, b]);
    assert.equal(decodeBepMessage(both).payload, 'aborted');
    assert.equal(decodeBepMessage(both).progress, null);
    assert.deepEqual(bepEventFromMessage(decodeBepMessage(both)), {
      id: {},
      aborted: { description: 'b' },
    });
    const file = build_event_stream.File.encode({ uri: 'file:///a' }).finish();
    const inline = build_event_stream.File.encode({ contents: Buffer.from('x') }).finish();
    const decoded = build_event_stream.File.decode(Buffer.concat([file, inline]));
    assert.equal(decoded.file, 'contents');
    assert.equal(Object.prototype.hasOwnProperty.call(decoded, 'uri'), false);
  });

  it("strings read natively from Buffers equal protobufjs' strict reading, and fail alike", () => {
    // Progress.stdout is a string field: one tag byte, a length, the bytes.
    const tag = build_event_stream.Progress.encode({ stdout: 'x' }).finish()[0] ?? 0;
    const message = (bytes: number[]): number[] => [tag, bytes.length, ...bytes];
    const cases: number[][] = [
      [],
      [...Buffer.from('plain ascii, long enough to pass every threshold: 0123456789abcdef')],
      [...Buffer.from('näh – ünïcode ✓ 🙂')],
      [...Buffer.from('\ufeffa BOM kept')],
      [...Buffer.from('a real U+FFFD: \ufffd')],
      [0xc3], // truncated sequence
      [0x61, 0xff, 0x62], // never valid
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // a surrogate half (CESU-8)
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [...Buffer.from('valid then '), 0xe2, 0x82], // cut in the middle of '€'
    ];
    const read = (bytes: Uint8Array): string | Error => {
      try {
        return build_event_stream.Progress.decode(bytes).stdout;
      } catch (err) {
        return err as Error;
      }
    };
    let invalid = 0;
    for (const bytes of cases) {
      const wire = message(bytes);
      const native = read(Buffer.from(wire));
      const library = read(new Uint8Array(wire)); // a plain Uint8Array: protobufjs' own reader
      if (library instanceof Error) {
        invalid++;
        assert.ok(native instanceof TypeError, `accepted invalid UTF-8 ${JSON.stringify(bytes)}`);
      } else assert.equal(native, library, JSON.stringify(bytes));
    }
    assert.equal(invalid, 6, 'the invalid cases are not all rejected by protobufjs either');
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
