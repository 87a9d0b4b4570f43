import { parseFlags } from '../args';
import { printJson, say, type CliIO } from '../io';
import { UsageError } from '../../util/errors';
import { DEFAULT_TIMEOUT_MS, testConnection, type ConnectionTestResult } from '../../remote';
import { registerRemoteVerb } from './remote';

const HELP = `Usage: rbl remote test --endpoint URL [--instance NAME] [--tls-ca PATH]
         [--tls-cert PATH --tls-key PATH] [--header NAME=VALUE]... [--timeout-ms N]
         [--require-execution] [--json]

Calls REAPI GetCapabilities on the server and reports what it supports: cache, execution,
API versions, digest functions and batch limits.

  --endpoint URL         grpc://HOST:PORT (plain), grpcs://HOST:PORT (TLS), unix:///PATH;
                         a bare HOST:PORT means grpcs, as in Bazel. user:password@ in the URL
                         is sent as basic auth and printed as ***.
  --instance NAME        remote instance name (Bazel's --remote_instance_name); default empty
  --tls-ca PATH          PEM CA that signed the server certificate (default: system CAs)
  --tls-cert PATH        PEM client certificate for mTLS (with --tls-key)
  --tls-key PATH         PEM client key for mTLS (with --tls-cert)
  --header NAME=VALUE    request header, repeatable (values are secrets: never printed)
  --timeout-ms N         give up after N milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --require-execution    also require remote execution: a cache-only server then fails with
                         code "unimplemented" (alias: --execution)
  --json                 print one JSON object on stdout

Exit codes: 0 the server answered (and executes, with --require-execution); 1 the check failed
({"ok":false,"error":{"code","message","hint"}}, code one of unavailable, tls, unauthenticated,
permission-denied, not-found, timeout, unimplemented, invalid-argument, internal); 2 bad input.
`;

function parseHeader(raw: string): { name: string; value: string } {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`--header expects NAME=VALUE, got '${raw.split('=')[0]}'`);
  return { name: raw.slice(0, eq), value: raw.slice(eq + 1) };
}

function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0)
    throw new UsageError(`--timeout-ms expects a positive whole number, got '${raw}'`);
  return Number(raw);
}

function printHuman(io: CliIO, result: ConnectionTestResult): void {
  const instance = result.instance === '' ? '' : ` (instance '${result.instance}')`;
  if (result.cache !== undefined) {
    say(
      io,
      `${result.endpoint}${instance}: cache ${result.cache ? 'yes' : 'no'}, execution ${result.execution ? 'yes' : 'no'}`,
    );
    say(
      io,
      `REAPI versions ${result.apiVersions?.low ?? '?'} to ${result.apiVersions?.high ?? '?'}, digests ${result.digestFunctions?.join(', ') || 'none'}`,
    );
  }
  if (!result.ok) {
    say(io, `${result.error.code}: ${result.error.message}`);
    say(io, `hint: ${result.error.hint}`);
  }
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    endpoint: { type: 'string' },
    instance: { type: 'string' },
    'tls-ca': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    header: { type: 'string', multiple: true },
    'timeout-ms': { type: 'string' },
    'require-execution': { type: 'boolean' },
    execution: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw new UsageError(`remote test: unexpected argument '${positionals[0]}'`);
  if (values.endpoint === undefined)
    throw new UsageError('remote test: --endpoint URL is required');
  const result = await testConnection({
    endpoint: values.endpoint,
    instanceName: values.instance,
    tlsCa: values['tls-ca'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    headers: (values.header ?? []).map(parseHeader),
    timeoutMs: parseTimeout(values['timeout-ms']),
    requireExecution: values['require-execution'] === true || values.execution === true,
  });
  if (values.json) printJson(io, result);
  else printHuman(io, result);
  return result.ok ? 0 : 1;
}

registerRemoteVerb({
  name: 'test',
  summary: 'Test a REAPI endpoint (GetCapabilities): reachable, TLS, auth, cache/execution',
  help: HELP,
  run,
});
