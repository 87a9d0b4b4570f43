// gRPC's length-prefixed messages cut into DATA frames anywhere: the reader gives back exactly
// the messages sent, whatever the cuts, and refuses what no stream may carry.
import * as assert from 'node:assert/strict';
import { frameMessage, MessageReader } from '../../../src/bes/grpc/framing';
import { CallFailure, encodeGrpcMessage, Status } from '../../../src/bes/grpc/status';

function messages(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc((i * 37) % 300, i % 251));
}

function readAll(chunks: Buffer[], max = 1 << 20): { got: Buffer[]; compressed: boolean[] } {
  const reader = new MessageReader(max);
  const got: Buffer[] = [];
  const compressed: boolean[] = [];
  for (const chunk of chunks) {
    reader.push(chunk, (m, c) => {
      got.push(Buffer.from(m));
      compressed.push(c);
    });
  }
  assert.equal(reader.midMessage, false, 'bytes left over after the last message');
  return { got, compressed };
}

function cut(data: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('gRPC message framing', () => {
  const sent = messages(40);
  const wire = Buffer.concat(sent.map(frameMessage));

  it('reads messages cut at every byte, at odd sizes, and all in one chunk', () => {
    for (const sizes of [[1], [2, 3], [5], [7, 1, 4096], [wire.length]]) {
      const { got } = readAll(cut(wire, sizes));
      assert.deepEqual(got, sent, `cut into ${sizes.join(',')}-byte pieces`);
    }
  });

  it('passes empty messages and empty chunks through', () => {
    const empties = Buffer.concat([frameMessage(Buffer.alloc(0)), frameMessage(Buffer.alloc(0))]);
    const { got } = readAll([Buffer.alloc(0), empties, Buffer.alloc(0)]);
    assert.deepEqual(got, [Buffer.alloc(0), Buffer.alloc(0)]);
  });

  it('reports the compressed flag of each message', () => {
    const one = frameMessage(Buffer.from('abc'));
    one[0] = 1;
    const { compressed } = readAll([Buffer.concat([frameMessage(Buffer.from('x')), one])]);
    assert.deepEqual(compressed, [false, true]);
  });

  it('knows when a stream stops in the middle of a message', () => {
    const reader = new MessageReader(1 << 20);
    reader.push(frameMessage(Buffer.alloc(10)).subarray(0, 7), () => assert.fail('delivered'));
    assert.equal(reader.midMessage, true);
  });

  it('refuses a length over the limit before buffering it: RESOURCE_EXHAUSTED', () => {
    const reader = new MessageReader(100);
    const prefix = Buffer.from([0, 0xff, 0xff, 0xff, 0xff]);
    assert.throws(
      () => reader.push(prefix, () => undefined),
      (err: unknown) =>
        err instanceof CallFailure &&
        err.code === Status.RESOURCE_EXHAUSTED &&
        /4294967295 vs\. 100/.test(err.message),
    );
  });

  it('refuses a flag byte other than 0 or 1: INTERNAL', () => {
    const reader = new MessageReader(100);
    const bad = frameMessage(Buffer.from('x'));
    bad[0] = 7;
    assert.throws(
      () => reader.push(bad, () => undefined),
      (err: unknown) => err instanceof CallFailure && err.code === Status.INTERNAL,
    );
  });

  it('percent-encodes grpc-message as the protocol asks', () => {
    assert.equal(encodeGrpcMessage('plain text: ok'), 'plain text: ok');
    assert.equal(encodeGrpcMessage('100%\nnäh'), '100%25%0An%C3%A4h');
  });
});
