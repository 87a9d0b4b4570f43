import { SUPPORT, type SettingName, type Tool } from '../../config';

/**
 * The form's values as typed: every field a string, so a half-typed number or URL can be shown
 * back and validated without losing what the user wrote. `headerValue` is a secret: it travels
 * only from the webview to the host, never back (see `forWebview`).
 */
export interface FormValues {
  executor: string;
  cache: string;
  instance: string;
  tlsCa: string;
  tlsCert: string;
  tlsKey: string;
  headerName: string;
  headerValue: string;
  /** `key=value`, one per line. */
  platform: string;
  jobs: string;
  /** '', 'minimal', 'toplevel' or 'all'. */
  downloadMode: string;
  besBackend: string;
}

export type FieldName = keyof FormValues;

export const FIELD_NAMES: readonly FieldName[] = [
  'executor',
  'cache',
  'instance',
  'tlsCa',
  'tlsCert',
  'tlsKey',
  'headerName',
  'headerValue',
  'platform',
  'jobs',
  'downloadMode',
  'besBackend',
];

export function emptyValues(): FormValues {
  return {
    executor: '',
    cache: '',
    instance: '',
    tlsCa: '',
    tlsCert: '',
    tlsKey: '',
    headerName: '',
    headerValue: '',
    platform: '',
    jobs: '',
    downloadMode: '',
    besBackend: '',
  };
}

/** The config layer's setting behind each field (both header fields are `headers`). */
export const FIELD_SETTING: Record<FieldName, SettingName> = {
  executor: 'executor',
  cache: 'cache',
  instance: 'instance',
  tlsCa: 'tlsCa',
  tlsCert: 'tlsCert',
  tlsKey: 'tlsKey',
  headerName: 'headers',
  headerValue: 'headers',
  platform: 'platform',
  jobs: 'jobs',
  downloadMode: 'downloadMode',
  besBackend: 'besBackend',
};

/**
 * The fields a tool can express, from the config layer's support table (the one source of
 * what each tool has), in the form's order.
 */
export function fieldsFor(tool: Tool): FieldName[] {
  return FIELD_NAMES.filter((f) => SUPPORT[tool][FIELD_SETTING[f]] !== null);
}

/** Where the tool keeps a field's setting, shown under the field (e.g. `--remote_executor`). */
export function fieldWhere(tool: Tool, field: FieldName): string {
  return SUPPORT[tool][FIELD_SETTING[field]] ?? '';
}

/** The values with the secret taken out: the only form of values the webview ever receives. */
export function forWebview(values: FormValues): FormValues {
  return { ...values, headerValue: '' };
}
