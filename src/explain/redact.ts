import type { ActionReport } from './action-lookup';
import type { ExplainSummary, RootCause } from './types';

/**
 * Keeps secrets out of what `rbl explain` prints: env and platform values whose name looks
 * secret (a changed `--action_env=API_TOKEN=…` is reported as changed, not shown), `NAME=value`
 * arguments with such names, and the user-info part of URLs anywhere.
 */
export const MASK = '***';

const SECRET_NAME =
  /(TOKEN|SECRET|PASSW|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|COOKIE|SESSION)/i;
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]+@/gi;
const SECRET_ASSIGNMENT =
  /([A-Za-z0-9_.-]*(?:TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)[A-Za-z0-9_.-]*)=([^\s'"]+)/gi;

export function redactText(text: string): string {
  return text
    .replace(URL_USERINFO, (_whole: string, scheme: string) => `${scheme}${MASK}@`)
    .replace(SECRET_ASSIGNMENT, (_whole: string, name: string) => `${name}=${MASK}`);
}

function redactValue(name: string, value: string | null): string | null {
  if (value === null) return null;
  return SECRET_NAME.test(name) ? MASK : redactText(value);
}

function redactCause(cause: RootCause): RootCause {
  switch (cause.kind) {
    case 'env':
    case 'platform':
      return {
        ...cause,
        old: redactValue(cause.name, cause.old),
        new: redactValue(cause.name, cause.new),
      };
    case 'args':
      return { ...cause, old: cause.old.map(redactText), new: cause.new.map(redactText) };
    case 'configuration':
      return {
        ...cause,
        args: { old: cause.args.old.map(redactText), new: cause.args.new.map(redactText) },
      };
    default:
      return cause;
  }
}

export function redactSummary(summary: ExplainSummary): ExplainSummary {
  return { ...summary, rootCauses: summary.rootCauses.map(redactCause) };
}

export function redactActionReport(report: ActionReport): ActionReport {
  const diff = report.diff && {
    ...report.diff,
    args: report.diff.args && {
      old: report.diff.args.old.map(redactText),
      new: report.diff.args.new.map(redactText),
    },
    env: report.diff.env.map((e) => ({
      ...e,
      old: redactValue(e.name, e.old),
      new: redactValue(e.name, e.new),
    })),
    platform: report.diff.platform.map((p) => ({
      ...p,
      old: redactValue(p.name, p.old),
      new: redactValue(p.name, p.new),
    })),
  };
  return { ...report, diff, rootCauses: report.rootCauses.map(redactCause) };
}
