// The newer-Bazel BEP streams of ../shared/fixtures/external, replayed as gRPC streams through
// the sink into the model: valid ones build a model without error; broken ones fail their own
// stream with a located status while a valid invocation streaming at the same time completes.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs/minimal';
import { readBepFile } from '../../../src/bep';
import type { BepEvent } from '../../../src/bep/types';
import { BesSink } from '../../../src/bes/sink';
import { build_event_stream } from '../../../src/gen/protos';
import { BuildModel } from '../../../src/model/build-model';
import { fixturesDir } from '../model/shared-fixtures';
import { BesTestClient, fullStream, streamRequest } from './bes-client';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const DURATION = /^-?\d+(\.\d+)?s$/;

/** BEP JSON mapping -> protobufjs object: Timestamps and Durations become {seconds, nanos}. */
function toProtoObject(value: unknown): unknown {
  if (typeof value === 'string') {
    if (RFC3339.test(value)) {
      const ms = Date.parse(value);
      const frac = /\.(\d+)Z$/.exec(value)?.[1] ?? '';
      return { seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, '0').slice(0, 9)) };
    }
    if (DURATION.test(value)) {
      const secs = Number(value.slice(0, -1));
      return { seconds: Math.trunc(secs), nanos: Math.round((secs - Math.trunc(secs)) * 1e9) };
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(toProtoObject);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toProtoObject(v)]));
  }
  return value;
}

function encode(event: BepEvent): Uint8Array {
  const BuildEvent = build_event_stream.BuildEvent;
  return BuildEvent.encode(
    BuildEvent.fromObject(toProtoObject(event) as Record<string, unknown>),
  ).finish();
}

/** Frames of a binary BEP file; bytes after the last whole frame become one (broken) record. */
function binaryRecords(file: string): Uint8Array[] {
  const bytes = fs.readFileSync(file);
  const reader = protobuf.Reader.create(bytes);
  const out: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    try {
      out.push(reader.bytes());
    } catch {
      out.push(bytes.subarray(start));
      break;
    }
  }
  return out;
}

function externalFiles(): string[] {
  const root = path.join(fixturesDir(), '..', 'external');
  return ['analytics-cli', 'bb-portal'].flatMap((d) =>
    fs
      .readdirSync(path.join(root, d))
      .filter((f) => /\.(ndjson|json|bin)$/.test(f))
      .map((f) => path.join(root, d, f)),
  );
}

describe('BES sink: external BEP streams of newer Bazel versions, replayed over gRPC', function () {
  this.timeout(60_000);
  let sink: BesSink;
  let client: BesTestClient;
  let model: BuildModel;

  beforeEach(async () => {
    sink = new BesSink();
    model = new BuildModel();
    sink.onEvent.event((e) => model.applyEvent(e.invocationId, e.event, e.receivedAt));
    client = new BesTestClient(await sink.listen('127.0.0.1:0'));
  });

  afterEach(async () => {
    client.close();
    await sink.close();
    model.dispose();
  });

  const valid = externalFiles().filter((f) => !f.endsWith('.bin'));
  let n = 0;
  for (const file of valid) {
    const name = path.basename(file);
    it(`${name}: valid events build a model; a broken tail fails only its own stream`, async () => {
      const read = await readBepFile(file);
      const records = read.events.map(encode);
      const ids = { buildId: `b-${++n}`, invocationId: `external-${n}` };
      if (read.error === null) {
        const outcome = await client.stream(fullStream(ids, records));
        assert.equal(outcome.status.code, grpc.status.OK, outcome.status.details);
        assert.equal(outcome.acks.length, records.length + 1);
        if (records.length > 0) {
          assert.ok(model.invocation(ids.invocationId));
          assert.ok(model.summary(ids.invocationId));
        }
        return;
      }
      // Broken file: its good events, then its damaged bytes as the next event.
      const broken = [
        ...records.map((r, i) => streamRequest(ids, i + 1, r)),
        streamRequest(ids, records.length + 1, Buffer.from('{"id":{"progr')),
      ];
      const other = { buildId: 'b-other', invocationId: `other-${n}` };
      const [bad, good] = await Promise.all([
        client.stream(broken),
        client.stream(fullStream(other, records)),
      ]);
      assert.equal(bad.status.code, grpc.status.INVALID_ARGUMENT);
      assert.match(
        bad.status.details,
        new RegExp(`event ${records.length + 1}: malformed BEP event`),
      );
      assert.equal(good.status.code, grpc.status.OK);
    });
  }

  it('broken_bep_binary_file.bin: the damaged record gives a located error, another stream is untouched', async () => {
    const file = externalFiles().find((f) => f.endsWith('broken_bep_binary_file.bin'));
    assert.ok(file, 'the broken binary fixture exists');
    const records = binaryRecords(file);
    const ids = { buildId: 'b-broken', invocationId: 'broken-bin' };
    const goodRecords = (
      await readBepFile(path.join(fixturesDir(), '04-source-changed', 'bep.json'))
    ).events.map(encode);
    const [bad, good] = await Promise.all([
      client.stream(fullStream(ids, records)),
      client.stream(fullStream({ buildId: 'b-good', invocationId: 'good' }, goodRecords)),
    ]);
    assert.equal(bad.status.code, grpc.status.INVALID_ARGUMENT);
    assert.match(
      bad.status.details,
      /invocation broken-bin, event \d+: malformed BEP event \(\d+ bytes\)/,
    );
    assert.equal(good.status.code, grpc.status.OK);
    assert.equal(model.summary('good')?.exitCode, 0);
  });
});
