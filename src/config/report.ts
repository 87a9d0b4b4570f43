import { redactUrl, type Tool } from './settings';

/** A value in effect and the line it comes from. */
export interface Sourced {
  value: string;
  file: string;
  line: number;
}

/** Settings that hold one value each (the rest are maps: headers, platform). */
export type SingleKey =
  | 'executor'
  | 'cache'
  | 'instance'
  | 'tlsCa'
  | 'tlsCert'
  | 'tlsKey'
  | 'jobs'
  | 'downloadMode'
  | 'besBackend';

export const SINGLE_KEYS: readonly SingleKey[] = [
  'executor',
  'cache',
  'instance',
  'tlsCa',
  'tlsCert',
  'tlsKey',
  'jobs',
  'downloadMode',
  'besBackend',
];

/** What a tool would use, with the file and line of each value. Header values are secrets. */
export interface EffectiveReport {
  tool: Tool;
  single: Partial<Record<SingleKey, Sourced>>;
  headers: Record<string, Sourced>;
  platform: Record<string, Sourced>;
  /** Every file read, in the order the tool reads them (workspace-relative when inside). */
  files: string[];
  warnings: string[];
}

const URL_KEYS: readonly SingleKey[] = ['executor', 'cache', 'besBackend'];

/**
 * The `rbl remote get --json` object of CONTRACT.md: values without secrets (header names
 * only, URL user-info as ***), plus `sources` (setting → "file:line") and `warnings`.
 */
export function reportToJson(report: EffectiveReport): Record<string, unknown> {
  const out: Record<string, unknown> = { tool: report.tool };
  const sources: Record<string, string> = {};
  for (const key of SINGLE_KEYS) {
    const s = report.single[key];
    if (!s) continue;
    out[key] =
      key === 'jobs' && /^\d+$/.test(s.value)
        ? Number(s.value)
        : URL_KEYS.includes(key)
          ? redactUrl(s.value)
          : s.value;
    sources[key] = `${s.file}:${s.line}`;
  }
  const headers = Object.keys(report.headers);
  if (headers.length > 0) {
    out.headers = headers;
    for (const h of headers)
      sources[`headers.${h}`] = `${report.headers[h].file}:${report.headers[h].line}`;
  }
  const platform = Object.entries(report.platform);
  if (platform.length > 0) {
    out.platform = Object.fromEntries(platform.map(([k, v]) => [k, v.value]));
    for (const [k, v] of platform) sources[`platform.${k}`] = `${v.file}:${v.line}`;
  }
  out.files = report.files;
  out.sources = sources;
  out.warnings = report.warnings;
  return out;
}
