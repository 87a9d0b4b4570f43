import { durationMs, eventKind, type BepEvent, type TestStatus } from '../bep';

export interface BepSummary {
  /** Count per id kind, in order of first appearance. */
  byKind: Record<string, number>;
  targets: { label: string; success: boolean }[];
  tests: { label: string; status: TestStatus | string; durationMs: number | null }[];
  failures: { what: string; message: string }[];
  /** From `BuildFinished`, or null when the stream has none. */
  exitCode: { name: string; code: number } | null;
}

function failureText(detail: { message?: string } | undefined, fallback: string): string {
  return detail?.message ? detail.message : fallback;
}

/**
 * What a person wants from a BEP file at a glance: events by kind, targets with their success,
 * tests with their status, and what failed. Aborted events (announced but never sent) count as
 * failures of what they stood for.
 */
export function summarizeBep(events: readonly BepEvent[]): BepSummary {
  const summary: BepSummary = { byKind: {}, targets: [], tests: [], failures: [], exitCode: null };
  const testsByLabel = new Map<string, BepSummary['tests'][number]>();
  const summarized = new Set<string>();
  for (const event of events) {
    const kind = eventKind(event);
    summary.byKind[kind] = (summary.byKind[kind] ?? 0) + 1;
    const id = event.id;
    if (event.aborted) {
      const what = `${kind} ${labelOf(event) ?? ''}`.trim();
      summary.failures.push({
        what,
        message: `aborted: ${event.aborted.reason ?? 'UNKNOWN'}${event.aborted.description ? `: ${event.aborted.description}` : ''}`,
      });
      if (id.targetCompleted?.label)
        summary.targets.push({ label: id.targetCompleted.label, success: false });
      continue;
    }
    if (id.targetCompleted && event.completed !== undefined) {
      const label = id.targetCompleted.label ?? '?';
      const success = event.completed.success === true;
      summary.targets.push({ label, success });
      if (!success) {
        summary.failures.push({
          what: `target ${label}`,
          message: failureText(event.completed.failureDetail, 'not built'),
        });
      }
    } else if (id.actionCompleted && event.action && event.action.success !== true) {
      const a = event.action;
      const label = a.label ?? id.actionCompleted.label ?? '?';
      summary.failures.push({
        what: `action ${label}${a.type ? ` (${a.type})` : ''}`,
        message: failureText(a.failureDetail, `exit code ${a.exitCode ?? '?'}`),
      });
    } else if (id.testSummary && event.testSummary) {
      const label = id.testSummary.label ?? '?';
      summarized.add(label);
      testsByLabel.set(label, {
        label,
        status: event.testSummary.overallStatus ?? 'NO_STATUS',
        durationMs:
          durationMs(event.testSummary.totalRunDuration) ??
          millis(event.testSummary.totalRunDurationMillis),
      });
    } else if (id.testResult && event.testResult) {
      // The last attempt stands until the test's summary, which replaces it.
      const label = id.testResult.label ?? '?';
      if (!summarized.has(label)) {
        testsByLabel.set(label, {
          label,
          status: event.testResult.status ?? 'NO_STATUS',
          durationMs:
            durationMs(event.testResult.testAttemptDuration) ??
            millis(event.testResult.testAttemptDurationMillis),
        });
      }
    } else if (id.buildFinished && event.finished) {
      const code = event.finished.exitCode;
      summary.exitCode = { name: code?.name ?? 'SUCCESS', code: code?.code ?? 0 };
      if (event.finished.failureDetail?.message) {
        summary.failures.push({ what: 'build', message: event.finished.failureDetail.message });
      }
    }
  }
  summary.tests = [...testsByLabel.values()];
  return summary;
}

function millis(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function labelOf(event: BepEvent): string | undefined {
  for (const value of Object.values(event.id)) {
    if (value && typeof value === 'object' && 'label' in value && typeof value.label === 'string') {
      return value.label;
    }
  }
  return undefined;
}
