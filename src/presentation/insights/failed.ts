import type { Action } from '../../model/types';
import { baseName, shortLabel } from '../format';
import { NO_TARGET } from '../grouping';

/** A failed action as the insights panel lists it (the tree has the full output). */
export interface FailedAction {
  label: string;
  mnemonic: string;
  output: string | null;
  exitCode: number | null;
  /** Bazel's failure message, else the last non-empty stderr line, else null. */
  message: string | null;
}

const MAX_MESSAGE = 300;

export function failedActions(actions: readonly Action[], limit = 10): FailedAction[] {
  return actions
    .filter((a) => !a.success)
    .slice(0, limit)
    .map((a) => {
      const lastLine =
        a.stderr
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '')
          .pop() ?? null;
      const message = a.failureMessage ?? lastLine;
      return {
        label: a.label === null ? NO_TARGET : shortLabel(a.label),
        mnemonic: a.mnemonic,
        output: a.primaryOutput === null ? null : baseName(a.primaryOutput),
        exitCode: a.exitCode,
        message:
          message === null || message.length <= MAX_MESSAGE
            ? message
            : `${message.slice(0, MAX_MESSAGE)}…`,
      };
    });
}
