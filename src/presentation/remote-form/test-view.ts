import type { ConnectionTestResult } from '../../remote';
import { errorMessage } from '../../util/errors';
import type { TestView } from './messages';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** A size limit for people: 0 is "no limit" (REAPI's meaning), else the largest fitting unit. */
export function formatLimit(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'unknown';
  if (n === 0) return 'no limit';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}

/** The connection test speaks in `rbl remote test` flags; the form names its own fields. */
const FLAG_TO_FIELD: [RegExp, string][] = [
  [/--tls-ca\b/g, 'the TLS CA certificate field'],
  [/--tls-cert\b/g, 'the TLS client certificate field'],
  [/--tls-key\b/g, 'the TLS client key field'],
  [/--instance\b/g, 'the instance name field'],
  [/--header\b/g, 'the auth header fields'],
];

export function inFormWords(text: string): string {
  return FLAG_TO_FIELD.reduce((t, [flag, field]) => t.replace(flag, field), text);
}

const yesNo = (b: boolean | null | undefined) =>
  b === true ? 'yes' : b === false ? 'no' : 'unknown';

/**
 * A connection test's result in the form's words: what the server supports, or the failure's
 * plain explanation and hint. Built from `src/remote`'s result, whose endpoint is already shown
 * with user-info as *** and which carries no header values.
 */
export function testView(what: string, result: ConnectionTestResult): TestView {
  const where = `${result.endpoint}${result.instance === '' ? '' : ` (instance '${result.instance}')`}`;
  const caps: string[] =
    result.cache === undefined
      ? []
      : [
          `Remote cache: ${yesNo(result.cache)}`,
          `Remote execution: ${yesNo(result.execution)}`,
          `REAPI versions: ${result.apiVersions?.low ?? '?'} to ${result.apiVersions?.high ?? '?'}`,
          `Digest functions: ${(result.digestFunctions ?? []).join(', ') || 'none listed'}`,
          `Action cache writes: ${yesNo(result.actionCacheUpdate)}`,
          `Batch limit: ${formatLimit(result.maxBatchTotalSizeBytes)}; largest blob: ${formatLimit(result.maxCasBlobSizeBytes)}`,
          ...(result.compressors && result.compressors.length > 0
            ? [`Compressors: ${result.compressors.join(', ')}`]
            : []),
        ];
  if (result.ok) return { ok: true, title: `${what}: connected to ${where}`, lines: caps };
  return {
    ok: false,
    title: `${what}: ${inFormWords(result.error.message)}`,
    lines: [`Failure: ${result.error.code} at ${where}`, ...caps],
    hint: inFormWords(result.error.hint),
  };
}

/** A test that could not start (bad URL, unreadable TLS file): the InputError's words. */
export function inputErrorView(what: string, err: unknown): TestView {
  return { ok: false, title: `${what}: ${inFormWords(errorMessage(err))}`, lines: [] };
}
