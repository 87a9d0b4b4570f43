import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    io: { stdout, stderr, cwd: process.cwd(), env: process.env },
    out: () => out,
    err: () => err,
  };
}

describe('rbl CLI shell', () => {
  it('lists every command in --help and exits 0', async () => {
    const c = capture();
    assert.equal(await runCli(['--help'], c.io), 0);
    assert.match(c.out(), /^ {2}log /m);
    assert.match(c.out(), /^ {2}remote /m);
  });

  it('rejects an unknown command with exit 2 and one rbl: line', async () => {
    const c = capture();
    assert.equal(await runCli(['frobnicate'], c.io), 2);
    assert.match(c.err(), /^rbl: unknown command 'frobnicate'$/m);
    assert.equal(c.out(), '');
  });

  it('rejects an unknown remote verb as a usage error without a stack trace', async () => {
    const c = capture();
    assert.equal(await runCli(['remote', 'nope'], c.io), 2);
    assert.match(c.err(), /^rbl: remote: unknown verb 'nope'/);
    assert.doesNotMatch(c.err(), /\n\s+at /);
  });
});
