/**
 * Tests in the model: attempts from TestResult (status, duration, logs, where it ran) and the
 * overall status from TestSummary.
 */
import type { BepEvent, Int64 } from '../bep/types';
import { durationMs as bepDurationMs } from '../bep/types';
import type { ChangeRecorder } from './invocation-record';
import { locate } from './location';
import { cacheSetup, majorVersion } from './options';
import type { Action, Invocation, Test, TestAttempt } from './types';

/** The parts of an invocation's state that tests touch. */
export interface TestRecord {
  readonly id: string;
  readonly invocation: Invocation;
  readonly tests: Map<string, Test>;
  readonly actions: Map<string, Action>;
  readonly changes: ChangeRecorder;
}

function num(value: Int64 | undefined): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function testOf(record: TestRecord, label: string): { test: Test; added: boolean } {
  const existing = record.tests.get(label);
  if (existing) return { test: existing, added: false };
  const test: Test = {
    id: label,
    invocationId: record.id,
    label,
    status: 'NO_STATUS',
    attempts: [],
    durationMs: null,
    logs: [],
  };
  record.tests.set(label, test);
  return { test, added: true };
}

export function applyTestResult(record: TestRecord, event: BepEvent): void {
  const idr = event.id.testResult;
  const r = event.testResult;
  if (!idr?.label || !r) return;
  const { test, added } = testOf(record, idr.label);
  const info = r.executionInfo;
  const attempt: TestAttempt = {
    run: idr.run ?? 1,
    shard: idr.shard ?? 1,
    attempt: idr.attempt ?? 1,
    status: r.status ?? 'NO_STATUS',
    durationMs: bepDurationMs(r.testAttemptDuration) ?? num(r.testAttemptDurationMillis),
    strategy: info?.strategy ?? null,
    location: null,
    cachedLocally: r.cachedLocally === true,
    cachedRemotely: info?.cachedRemotely === true,
    logs: (r.testActionOutput ?? []).flatMap((f) =>
      f.uri ? [{ name: f.name ?? '', uri: f.uri }] : [],
    ),
  };
  if (attempt.strategy) locateTest(record, idr.label, attempt);
  test.attempts.push(attempt);
  test.status = attempt.status;
  test.durationMs = test.attempts.reduce<number | null>(
    (sum, a) => (a.durationMs === null ? sum : (sum ?? 0) + a.durationMs),
    null,
  );
  record.changes.test(record.id, test.id, added);
}

/**
 * Where a test ran is known live from `executionInfo.strategy`, before the execution log: the
 * test's action gets that location until the log join replaces it with the spawns' own.
 */
function locateTest(record: TestRecord, label: string, attempt: TestAttempt): void {
  const { location } = locate(attempt.strategy ?? '', {
    bazelMajor: majorVersion(record.invocation.bazelVersion),
    cache: cacheSetup(record.invocation.options),
  });
  attempt.location = location;
  for (const action of record.actions.values()) {
    if (action.label === label) locateTestAction(record, action);
  }
}

/**
 * Gives a test action the location of its test's latest attempt (TestResult can come before or
 * after the action's ActionExecuted), unless the execution log already placed it.
 */
export function locateTestAction(record: TestRecord, action: Action): void {
  if (action.mnemonic !== 'TestRunner' || action.spawns.length > 0 || !action.label) return;
  const attempt = record.tests.get(action.label)?.attempts.at(-1);
  if (!attempt?.strategy || attempt.location === null) return;
  action.runner = attempt.strategy;
  action.location = attempt.location;
  action.locationReason =
    attempt.location === 'unknown'
      ? `Bazel reported the test strategy '${attempt.strategy}'`
      : null;
  action.cacheHit = attempt.cachedRemotely || attempt.cachedLocally;
  record.changes.action(record.id, action.id, false);
}

export function applyTestSummary(record: TestRecord, event: BepEvent): void {
  const label = event.id.testSummary?.label;
  const s = event.testSummary;
  if (!label || !s) return;
  const { test, added } = testOf(record, label);
  test.status = s.overallStatus ?? test.status;
  test.durationMs =
    bepDurationMs(s.totalRunDuration) ?? num(s.totalRunDurationMillis) ?? test.durationMs;
  test.logs = [...(s.passed ?? []), ...(s.failed ?? [])].flatMap((f) =>
    f.uri ? [{ name: f.name ?? '', uri: f.uri }] : [],
  );
  record.changes.test(record.id, test.id, added);
}
