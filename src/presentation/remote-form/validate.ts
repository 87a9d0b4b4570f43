import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEndpoint, type Tool } from '../../config';
import { errorMessage } from '../../util/errors';
import { FIELD_NAMES, fieldsFor, type FieldName, type FormValues } from './fields';

/** One message per field that is wrong; an empty object means the form may be tested/applied. */
export type FieldErrors = Partial<Record<FieldName, string>>;

const TOOL_NAMES: Record<Tool, string> = { bazel: 'Bazel', pants: 'Pants', buck2: 'Buck2' };
const URL_FIELDS: readonly FieldName[] = ['executor', 'cache', 'besBackend'];
const FILE_FIELDS: readonly FieldName[] = ['tlsCa', 'tlsCert', 'tlsKey'];
// RFC 7230 token characters; gRPC metadata keys are lower-cased tokens of these.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const DOWNLOAD_MODES = ['', 'minimal', 'toplevel', 'all'];

/** A TLS file path as the tool resolves it: `%workspace%` and relative paths from the workspace. */
export function resolveFilePath(workspace: string, value: string): string {
  return path.resolve(workspace, value.trim().replace(/^%workspace%/, workspace));
}

/** Why a file cannot be used, or null when it exists, is a file and is readable. */
export function unreadableFile(file: string): string | null {
  try {
    if (!fs.statSync(file).isFile()) return 'is not a file';
    fs.accessSync(file, fs.constants.R_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES') return 'not readable (permission denied)';
    return `cannot be read (${code ?? errorMessage(err)})`;
  }
}

/** `key=value` lines (blank lines allowed); the first bad line's message, or null. */
export function platformProblem(text: string): string | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return `line ${i + 1}: expected key=value`;
  }
  return null;
}

/**
 * Checks the form as typed, for the tool at hand: URL schemes (grpc, grpcs, http, https, unix,
 * the config layer's own rule), TLS files exist and are readable, numbers are numbers, header
 * names are tokens. A value in a field the tool cannot express is an error, never dropped.
 */
export function validateForm(values: FormValues, tool: Tool, workspace: string): FieldErrors {
  const errors: FieldErrors = {};
  const supported = new Set(fieldsFor(tool));
  const v = (f: FieldName) => values[f].trim();
  for (const field of FIELD_NAMES) {
    if (!supported.has(field) && v(field) !== '')
      errors[field] = `${TOOL_NAMES[tool]} has no setting for this`;
  }
  for (const field of URL_FIELDS) {
    if (!supported.has(field) || v(field) === '') continue;
    try {
      checkEndpoint(field, v(field));
    } catch (err) {
      errors[field] = err instanceof Error ? err.message : String(err);
    }
  }
  for (const field of FILE_FIELDS) {
    if (!supported.has(field) || v(field) === '') continue;
    const problem = unreadableFile(resolveFilePath(workspace, v(field)));
    if (problem !== null) errors[field] = `${v(field)}: ${problem}`;
  }
  if (supported.has('tlsKey') && (v('tlsCert') === '') !== (v('tlsKey') === ''))
    errors[v('tlsCert') === '' ? 'tlsCert' : 'tlsKey'] ??=
      'the client certificate and key go together (mTLS needs both)';
  if (supported.has('jobs') && v('jobs') !== '' && !/^[1-9]\d{0,5}$/.test(v('jobs')))
    errors.jobs = 'a whole number from 1 to 999999';
  if (supported.has('downloadMode') && !DOWNLOAD_MODES.includes(v('downloadMode')))
    errors.downloadMode = 'minimal, toplevel or all';
  if (v('headerName') !== '' && !HEADER_NAME.test(v('headerName')))
    errors.headerName = 'letters, digits and - _ . only (an HTTP header name)';
  if (values.headerValue !== '' && v('headerName') === '')
    errors.headerName = 'name the header the secret is sent in';
  if (/[\r\n]/.test(values.headerValue)) errors.headerValue = 'a header value is one line';
  if (supported.has('platform')) {
    const problem = platformProblem(values.platform);
    if (problem !== null) errors.platform = problem;
  }
  if (v('instance') !== '' && /\s/.test(v('instance')))
    errors.instance = 'an instance name has no spaces';
  return errors;
}
