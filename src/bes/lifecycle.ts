/** Names for the unary lifecycle events Bazel sends around its event stream. */
import type { google } from '../gen/protos';

export interface LifecycleEvent {
  invocationId: string | null;
  buildId: string;
  kind:
    | 'buildEnqueued'
    | 'invocationAttemptStarted'
    | 'invocationAttemptFinished'
    | 'buildFinished'
    | 'other';
  /** BuildStatus.Result name for the *Finished events. */
  result: string | null;
}

const RESULT_NAMES = [
  'UNKNOWN_STATUS',
  'COMMAND_SUCCEEDED',
  'COMMAND_FAILED',
  'USER_ERROR',
  'SYSTEM_ERROR',
  'RESOURCE_EXHAUSTED',
  'INVOCATION_DEADLINE_EXCEEDED',
  'CANCELLED',
  'REQUEST_DEADLINE_EXCEEDED',
];

/** Which lifecycle event this is, and the BuildStatus.Result name of the *Finished ones. */
export function describeLifecycle(
  ev: google.devtools.build.v1.IBuildEvent | null | undefined,
): Pick<LifecycleEvent, 'kind' | 'result'> {
  const kind: LifecycleEvent['kind'] = ev?.buildEnqueued
    ? 'buildEnqueued'
    : ev?.invocationAttemptStarted
      ? 'invocationAttemptStarted'
      : ev?.invocationAttemptFinished
        ? 'invocationAttemptFinished'
        : ev?.buildFinished
          ? 'buildFinished'
          : 'other';
  const status = ev?.invocationAttemptFinished?.invocationStatus ?? ev?.buildFinished?.status;
  const code = status?.result ?? 0;
  return { kind, result: status ? (RESULT_NAMES[code] ?? String(code)) : null };
}
