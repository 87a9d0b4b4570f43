import { SINGLE_KEYS, type EffectiveReport, type RemoteSettings, type Tool } from '../../config';
import { emptyValues, fieldsFor, type FieldName, type FormValues } from './fields';

/** `key=value` lines → map (validated before: see `platformProblem`). */
export function parsePlatform(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function platformText(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/**
 * The form prefilled from what is in effect (the config layer's `get`). Header values are
 * secrets and stay out: only the first header's name is shown (the form edits one header).
 */
export function valuesFromReport(report: EffectiveReport): FormValues {
  const values = emptyValues();
  for (const key of SINGLE_KEYS) values[key] = report.single[key]?.value ?? '';
  values.headerName = Object.keys(report.headers)[0] ?? '';
  values.platform = platformText(
    Object.fromEntries(Object.entries(report.platform).map(([k, s]) => [k, s.value])),
  );
  return values;
}

const same = (a: string, b: string) => a.trim() === b.trim();

/**
 * What `set` should write: the fields the tool has whose value differs from `baseline` (what
 * was in effect when the form opened), so Preview shows exactly the user's changes and values
 * already in effect from the user's own lines are not written twice. An emptied field is left
 * as it is (Disable removes what we added). The header is written only with a new value.
 */
export function settingsFromForm(
  values: FormValues,
  tool: Tool,
  baseline: FormValues = emptyValues(),
): RemoteSettings {
  const fields = new Set(fieldsFor(tool));
  const changed = (f: FieldName) =>
    fields.has(f) && values[f].trim() !== '' && !same(values[f], baseline[f]);
  const s: RemoteSettings = {};
  if (changed('executor')) s.executor = values.executor.trim();
  if (changed('cache')) s.cache = values.cache.trim();
  if (changed('instance')) s.instance = values.instance.trim();
  if (changed('tlsCa')) s.tlsCa = values.tlsCa.trim();
  if (changed('tlsCert')) s.tlsCert = values.tlsCert.trim();
  if (changed('tlsKey')) s.tlsKey = values.tlsKey.trim();
  if (changed('jobs')) s.jobs = Number(values.jobs.trim());
  if (changed('downloadMode'))
    s.downloadMode = values.downloadMode.trim() as RemoteSettings['downloadMode'];
  if (changed('besBackend')) s.besBackend = values.besBackend.trim();
  if (fields.has('platform')) {
    const now = parsePlatform(values.platform);
    if (
      Object.keys(now).length > 0 &&
      platformText(now) !== platformText(parsePlatform(baseline.platform))
    )
      s.platform = now;
  }
  if (fields.has('headerName') && values.headerName.trim() !== '' && values.headerValue !== '')
    s.headers = { [values.headerName.trim()]: values.headerValue };
  return s;
}
