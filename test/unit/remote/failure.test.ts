import { strict as assert } from 'node:assert';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { classifyFailure, cleanDetails, type FailureContext } from '../../../src/remote/failure';

// grpc-js ServiceErrors as the library builds them (code, details, metadata): the input of the
// classifier, which is plain mapping logic; the real servers are exercised in test/remote.
function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

const plain: FailureContext = {
  display: 'grpc://127.0.0.1:1',
  tls: false,
  instanceName: '',
  hasCa: false,
  hasClientCert: false,
  timeoutMs: 1000,
};
const tls: FailureContext = { ...plain, display: 'grpcs://127.0.0.1:1', tls: true, hasCa: true };

describe('classifyFailure', () => {
  it('maps each gRPC status to its CONTRACT code with a hint', () => {
    const cases: Array<[status, string]> = [
      [status.DEADLINE_EXCEEDED, 'timeout'],
      [status.UNAUTHENTICATED, 'unauthenticated'],
      [status.PERMISSION_DENIED, 'permission-denied'],
      [status.NOT_FOUND, 'not-found'],
      [status.INVALID_ARGUMENT, 'invalid-argument'],
      [status.UNIMPLEMENTED, 'unimplemented'],
      [status.INTERNAL, 'internal'],
      [status.UNKNOWN, 'internal'],
    ];
    for (const [code, expected] of cases) {
      const f = classifyFailure(serviceError(code, 'x'), plain);
      assert.equal(f.code, expected, status[code]);
      assert.ok(f.hint.length > 0);
    }
  });

  it('tells an unreachable server from a TLS failure', () => {
    const refused =
      'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ';
    assert.equal(
      classifyFailure(serviceError(status.UNAVAILABLE, refused), plain).code,
      'unavailable',
    );
    const untrusted = classifyFailure(
      serviceError(
        status.UNAVAILABLE,
        'No connection established. Last error: Error: unable to verify the first certificate',
      ),
      tls,
    );
    assert.equal(untrusted.code, 'tls');
    assert.match(untrusted.hint, /--tls-ca/);
    const name = classifyFailure(
      serviceError(
        status.UNAVAILABLE,
        "Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list",
      ),
      tls,
    );
    assert.equal(name.code, 'tls');
    assert.match(name.hint, /host name/);
  });

  it('names the instance in not-found and hints at --instance', () => {
    const f = classifyFailure(serviceError(status.NOT_FOUND, 'no such instance'), {
      ...plain,
      instanceName: 'ci',
    });
    assert.match(f.message, /'ci'/);
    assert.match(f.hint, /--instance/);
  });

  it('never repeats user-info found in details', () => {
    const f = classifyFailure(
      serviceError(status.UNAVAILABLE, 'connect grpc://u:pw@h:1 refused'),
      plain,
    );
    assert.ok(!f.message.includes('pw@'));
  });

  it('reports a non-gRPC error as internal', () => {
    assert.equal(classifyFailure(new Error('boom'), plain).code, 'internal');
  });
});

describe('cleanDetails', () => {
  it('keeps the words of an OpenSSL error and drops grpc-js wrapping and error codes', () => {
    const raw =
      'No connection established. Last error: Error: 808C30F64B7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n. Resolution note: ';
    assert.equal(cleanDetails(raw), 'wrong version number');
  });

  it('drops the timestamp grpc-js appends', () => {
    assert.equal(cleanDetails('Protocol error (2026-11-25T00:40:09.010Z)'), 'Protocol error');
  });
});
