import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  emptyValues,
  fieldsFor,
  validateForm,
  type FormValues,
} from '../../../../src/presentation/remote-form';

describe('remote form: validation as typed', () => {
  let ws: string;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-form-validate-'));
    fs.writeFileSync(path.join(ws, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    fs.mkdirSync(path.join(ws, 'certs'));
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  const check = (patch: Partial<FormValues>, tool: 'bazel' | 'pants' | 'buck2' = 'bazel') =>
    validateForm({ ...emptyValues(), ...patch }, tool, ws);

  it('accepts the five URL schemes remote clients speak and refuses others', () => {
    for (const url of [
      'grpc://h:1',
      'grpcs://h',
      'http://h:8080',
      'https://h',
      'unix:///tmp/s.sock',
    ])
      assert.deepEqual(check({ executor: url, cache: url }), {}, url);
    assert.match(check({ executor: 'ftp://h' }).executor ?? '', /unsupported URL scheme 'ftp:'/);
    assert.match(check({ cache: 'not a url' }).cache ?? '', /invalid URL/);
    assert.match(check({ besBackend: 'grpc://' }).besBackend ?? '', /invalid URL|no host/);
  });

  it('wants TLS files that exist, are files and can be read (relative to the workspace)', () => {
    assert.deepEqual(check({ tlsCa: 'ca.pem' }), {});
    assert.deepEqual(check({ tlsCa: path.join(ws, 'ca.pem') }), {});
    assert.deepEqual(check({ tlsCa: '%workspace%/ca.pem' }), {});
    assert.match(check({ tlsCa: 'missing.pem' }).tlsCa ?? '', /missing.pem: no such file/);
    assert.match(check({ tlsCa: 'certs' }).tlsCa ?? '', /is not a file/);
  });

  it('pairs the client certificate with its key where the tool has a key setting', () => {
    assert.match(check({ tlsCert: 'ca.pem' }).tlsKey ?? '', /go together/);
    assert.match(check({ tlsKey: 'ca.pem' }).tlsCert ?? '', /go together/);
    // Buck2 keeps both in one PEM: no key field, no pairing.
    assert.deepEqual(check({ tlsCert: 'ca.pem' }, 'buck2'), {});
  });

  it('wants numbers for jobs, key=value platform lines and a header name for a secret', () => {
    assert.deepEqual(check({ jobs: '200' }), {});
    for (const jobs of ['ten', '-1', '0', '1.5', '1e3'])
      assert.match(check({ jobs }).jobs ?? '', /whole number/, jobs);
    assert.deepEqual(check({ platform: 'OSFamily=linux\n\ncontainer-image=docker://x' }), {});
    assert.match(check({ platform: 'OSFamily' }).platform ?? '', /line 1: expected key=value/);
    assert.match(check({ headerValue: 's3cret' }).headerName ?? '', /name the header/);
    assert.match(check({ headerName: 'x api key' }).headerName ?? '', /header name/);
    assert.match(check({ downloadMode: 'some' }).downloadMode ?? '', /minimal, toplevel or all/);
  });

  it('shows only what the tool can express and refuses a value in a field it lacks', () => {
    assert.deepEqual(fieldsFor('buck2'), [
      'executor',
      'cache',
      'instance',
      'tlsCa',
      'tlsCert',
      'headerName',
      'headerValue',
    ]);
    assert.ok(!fieldsFor('pants').includes('besBackend'));
    assert.ok(fieldsFor('bazel').includes('besBackend'));
    assert.match(check({ jobs: '8' }, 'buck2').jobs ?? '', /Buck2 has no setting/);
    assert.match(
      check({ besBackend: 'grpc://h:1' }, 'pants').besBackend ?? '',
      /Pants has no setting/,
    );
  });
});
