// An invocation summary with nothing in it but its id and times: what store and explanation
// tests record beside their own spawns.
import type { InvocationSummary } from '../../src/model/types';

export function emptySummary(id: string, finishedAt: number, durationMs = 10): InvocationSummary {
  return {
    invocationId: id,
    buildRequestId: null,
    command: 'build',
    patterns: ['//...'],
    state: 'finished',
    exitCode: 0,
    besError: null,
    bazelVersion: null,
    startedAt: finishedAt - durationMs,
    finishedAt,
    processes: { byRunner: {}, bazel: null, mismatch: null },
    cacheHitRate: null,
    remoteRate: null,
    actions: [],
    targets: [],
    tests: [],
  };
}
