import { strict as assert } from 'node:assert';
import { runRbl } from '../helpers/cli';

describe('rbl CLI shell', () => {
  it('lists every command in --help and exits 0', async () => {
    const r = await runRbl(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ {2}log /m);
    assert.match(r.stdout, /^ {2}remote /m);
  });

  it('rejects an unknown command with exit 2 and one rbl: line', async () => {
    const r = await runRbl(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rbl: unknown command 'frobnicate'$/m);
    assert.equal(r.stdout, '');
  });

  it('rejects an unknown remote verb as a usage error without a stack trace', async () => {
    const r = await runRbl(['remote', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rbl: remote: unknown verb 'nope'/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
