// Byte offsets in config errors point into the file as stored: a BOM counts 3 bytes, and a
// file that is not valid UTF-8 (decoded byte by byte as latin1) counts one byte a character.
import { strict as assert } from 'node:assert';
import { setMarkedFlags } from '../../../src/config/bazelrc/edit';
import { parseBuckconfig } from '../../../src/config/buck/parse';
import { scanTomlFile } from '../../../src/config/pants/files';
import { decodeText } from '../../../src/config/text-file';
import { InputError } from '../../../src/util/errors';

/** Runs `f` on the text and origin decoded from `bytes`; returns the InputError it throws. */
function refusal(bytes: Buffer, f: (text: string, origin: ReturnType<typeof originFor>) => void) {
  const origin = originFor(bytes);
  try {
    f(origin.text, origin);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  assert.fail('no InputError');
}

function originFor(bytes: Buffer) {
  return { displayPath: 'the-file', ...decodeText(bytes) };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('config error offsets', () => {
  it('.buckconfig: the BOM counts 3 bytes before the bad line', () => {
    const bytes = Buffer.concat([BOM, Buffer.from('[a]\nbad line\n')]);
    const err = refusal(bytes, (t, o) => parseBuckconfig(t, o));
    assert.equal(err.source, 'the-file');
    assert.equal(err.offset, 3 + 4);
  });

  it('.buckconfig: UTF-8 characters count their bytes', () => {
    const bytes = Buffer.from('# é\nbad line\n');
    assert.equal(refusal(bytes, (t, o) => parseBuckconfig(t, o)).offset, 5);
  });

  it('.buckconfig: a latin1-decoded file counts one byte a character', () => {
    const bytes = Buffer.concat([
      Buffer.from('# '),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('\nx\n'),
    ]);
    assert.equal(refusal(bytes, (t, o) => parseBuckconfig(t, o)).offset, 5);
  });

  it('pants.toml: the BOM and the decoding are counted', () => {
    const plain = Buffer.from('[GLOBAL]\nx = "');
    const withBom = Buffer.concat([BOM, plain]);
    const without = refusal(plain, (t, o) => scanTomlFile(t, o)).offset ?? -1;
    assert.ok(without > 0);
    assert.equal(refusal(withBom, (t, o) => scanTomlFile(t, o)).offset, 3 + without);
    const latin1 = Buffer.concat([Buffer.from('#'), Buffer.from([0xff]), Buffer.from('\nx = "')]);
    const err = refusal(latin1, (t, o) => scanTomlFile(t, o));
    assert.ok(err.offset !== undefined && err.offset <= latin1.length, err.describe());
  });

  it('.bazelrc ending in a backslash: names the file and the backslash', () => {
    const bytes = Buffer.concat([BOM, Buffer.from('build --jobs=4 \\')]);
    const err = refusal(bytes, (t, o) => setMarkedFlags(t, 'build', ['--remote_executor=x'], o));
    assert.equal(err.source, 'the-file');
    assert.equal(err.offset, bytes.length - 1);
  });
});

describe('pants.toml nesting', () => {
  it('a value nested past the limit is refused with an InputError, not a stack overflow', () => {
    const bytes = Buffer.from(`[GLOBAL]\nx = ${'['.repeat(20000)}`);
    const err = refusal(bytes, (t, o) => scanTomlFile(t, o));
    assert.equal(err.source, 'the-file');
    assert.match(err.message, /nested more than/);
  });

  it('a value nested a few deep still reads', () => {
    const doc = scanTomlFile('[GLOBAL]\nx = [[[1]], {a = [2]}]\n', 'pants.toml');
    assert.equal(doc.tables.length, 1);
  });
});
