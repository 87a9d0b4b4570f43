import { TOOLS, type Tool } from '../../config';
import { FIELD_NAMES, type FieldName, type FormValues } from './fields';
import { isPresetId, type PresetId } from './presets';
import type { SecretState } from './secret-state';
import type { FieldErrors } from './validate';

/** Messages the webview sends. Anything else is ignored (see `parseWebviewMessage`). */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'changed'; values: FormValues }
  | { type: 'selectTool'; tool: Tool }
  | { type: 'preset'; preset: PresetId; values: FormValues }
  | { type: 'test'; values: FormValues }
  | { type: 'preview'; values: FormValues }
  | { type: 'apply'; values: FormValues };

/** One connection test's outcome as the form shows it (no secret can be in it: see test-view). */
export interface TestView {
  ok: boolean;
  title: string;
  lines: string[];
  hint?: string;
}

export interface FileDiffView {
  file: string;
  action: 'create' | 'edit' | 'delete';
  diff: string;
}

/** Messages the host sends. Values never carry the header's secret (see `forWebview`). */
export type HostMessage =
  | {
      type: 'state';
      workspace: string;
      tool: Tool;
      tools: Tool[];
      fields: { name: FieldName; where: string }[];
      presets: { id: PresetId; label: string; note: string }[];
      values: FormValues;
      secret: { state: SecretState; text: string };
      trusted: boolean;
      files: string[];
      warnings: string[];
    }
  | { type: 'values'; values: FormValues; note: string }
  | { type: 'validation'; errors: FieldErrors }
  | { type: 'busy'; what: 'test' | 'preview' | 'apply' }
  | { type: 'testResult'; results: TestView[] }
  | { type: 'preview'; files: FileDiffView[]; warnings: string[] }
  | { type: 'applied'; written: string[]; secret: { state: SecretState; text: string } }
  | { type: 'error'; message: string };

/** Longest value a field may hold; more is not a typo but a paste of something else. */
const MAX_FIELD_LENGTH = 16_384;

export type ParseResult = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The form values, exactly the known fields, each a string of sane length; else why not. */
function parseValues(value: unknown): FormValues | string {
  if (!isRecord(value)) return 'values is not an object';
  for (const key of Object.keys(value))
    if (!(FIELD_NAMES as readonly string[]).includes(key))
      return `unknown field '${key.slice(0, 40)}'`;
  const out: Partial<FormValues> = {};
  for (const name of FIELD_NAMES) {
    const field = value[name];
    if (typeof field !== 'string') return `values.${name} is not a string`;
    if (field.length > MAX_FIELD_LENGTH) return `values.${name} is too long`;
    out[name] = field;
  }
  return out as FormValues;
}

/**
 * The schema of what the webview may send. A webview is a web page: it may be confused or
 * compromised, so every message is checked here before the host acts on it. The reason of a
 * refusal names the type and field only, never a value, so it can be logged.
 */
export function parseWebviewMessage(raw: unknown): ParseResult {
  if (!isRecord(raw)) return { ok: false, reason: 'not an object' };
  const type = raw.type;
  const allowed = (keys: string[]) => {
    const extra = Object.keys(raw).find((k) => k !== 'type' && !keys.includes(k));
    return extra === undefined
      ? null
      : `unexpected key '${extra.slice(0, 40)}' in '${String(type)}'`;
  };
  switch (type) {
    case 'ready': {
      const extra = allowed([]);
      return extra === null ? { ok: true, message: { type } } : { ok: false, reason: extra };
    }
    case 'selectTool': {
      const extra = allowed(['tool']);
      if (extra !== null) return { ok: false, reason: extra };
      if (!TOOLS.includes(raw.tool as Tool))
        return { ok: false, reason: 'selectTool: unknown tool' };
      return { ok: true, message: { type, tool: raw.tool as Tool } };
    }
    case 'preset':
    case 'changed':
    case 'test':
    case 'preview':
    case 'apply': {
      const extra = allowed(type === 'preset' ? ['values', 'preset'] : ['values']);
      if (extra !== null) return { ok: false, reason: extra };
      const values = parseValues(raw.values);
      if (typeof values === 'string') return { ok: false, reason: `${type}: ${values}` };
      if (type !== 'preset') return { ok: true, message: { type, values } };
      if (!isPresetId(raw.preset)) return { ok: false, reason: 'preset: unknown preset' };
      return { ok: true, message: { type, preset: raw.preset, values } };
    }
    default:
      return {
        ok: false,
        reason:
          typeof type === 'string'
            ? `unknown message type '${type.slice(0, 40)}'`
            : 'no message type',
      };
  }
}
