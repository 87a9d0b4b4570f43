import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DelimitedSplitter } from '../../../src/util/delimited-splitter';
import { JsonValueSplitter, type JsonValueText } from '../../../src/util/json-value-splitter';
import { InputError } from '../../../src/util/errors';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function chunked(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let pos = 0, i = 0; pos < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]);
    chunks.push(bytes.slice(pos, pos + size));
    pos += size;
  }
  return chunks;
}

describe('DelimitedSplitter', () => {
  it('returns every record with its offset, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 10 }),
        (records, sizes) => {
          const framed = Buffer.concat(
            records.map((r) => Buffer.concat([Buffer.from(varint(r.length)), r])),
          );
          const expectedOffsets: number[] = [];
          let offset = 0;
          for (const r of records) {
            expectedOffsets.push(offset);
            offset += varint(r.length).length + r.length;
          }
          const splitter = new DelimitedSplitter('f');
          const got: { offset: number; bytes: Buffer }[] = [];
          for (const chunk of chunked(framed, sizes)) {
            splitter.push(chunk, (r) =>
              got.push({ offset: r.offset, bytes: Buffer.from(r.bytes) }),
            );
          }
          splitter.finish();
          assert.deepEqual(
            got.map((g) => g.offset),
            expectedOffsets,
          );
          assert.deepEqual(
            got.map((g) => g.bytes),
            records.map((r) => Buffer.from(r)),
          );
        },
      ),
    );
  });

  it('locates a truncated record, a truncated prefix and an oversized length', () => {
    const s1 = new DelimitedSplitter('f');
    s1.push(Buffer.from([2, 1, 2, 5, 1]), () => undefined);
    assert.throws(
      () => s1.finish(),
      (e: unknown) =>
        e instanceof InputError && e.offset === 3 && /6 bytes announced/.test(e.message),
    );
    const s2 = new DelimitedSplitter('f');
    s2.push(Buffer.from([0, 0x80]), () => undefined);
    assert.throws(
      () => s2.finish(),
      (e: unknown) => e instanceof InputError && e.offset === 1,
    );
    const s3 = new DelimitedSplitter('f', 1000);
    assert.throws(
      () => s3.push(Buffer.from([1, 9, ...varint(1001)]), () => undefined),
      (e: unknown) => e instanceof InputError && e.offset === 2 && e.source === 'f',
    );
  });
});

describe('JsonValueSplitter', () => {
  const split = (text: string, sizes: number[]): JsonValueText[] => {
    const splitter = new JsonValueSplitter('f');
    const out: JsonValueText[] = [];
    for (const chunk of chunked(Buffer.from(text), sizes)) splitter.push(chunk, (v) => out.push(v));
    splitter.finish();
    return out;
  };

  it('splits concatenated and line-separated values with byte offsets, across any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.jsonValue().map((v) => ({ v })),
          { maxLength: 8 },
        ),
        fc.constantFrom('', '\n', ' \r\n\t'),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (values, separator, sizes, pretty) => {
          const texts = values.map((v) => JSON.stringify(v, null, pretty ? 2 : undefined));
          const text = texts.join(separator);
          const got = split(text, sizes);
          assert.deepEqual(
            got.map((g) => g.text),
            texts,
          );
          let offset = 0;
          const offsets = texts.map((t) => {
            const o = offset;
            offset += Buffer.byteLength(t) + Buffer.byteLength(separator);
            return o;
          });
          assert.deepEqual(
            got.map((g) => g.offset),
            offsets,
          );
        },
      ),
    );
  });

  it('is not fooled by braces and escaped quotes in strings, or by multi-byte characters split across chunks', () => {
    const text = '{"a":"}{\\"\\\\"}{"b":"é€😀"}';
    for (const size of [1, 2, 3]) {
      const got = split(text, [size]);
      assert.deepEqual(
        got.map((g) => g.offset),
        [0, 14],
      );
      assert.deepEqual(JSON.parse(got[1].text), { b: 'é€😀' });
    }
  });

  it('locates a value cut short and bytes that cannot start a value', () => {
    assert.throws(
      () => split('{"a":1}\n{"b":', [100]),
      (e: unknown) => e instanceof InputError && e.offset === 8,
    );
    assert.throws(
      () => split('{"a":1} x', [100]),
      (e: unknown) => e instanceof InputError && e.offset === 8,
    );
  });
});
