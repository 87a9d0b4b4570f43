/**
 * Errors that are the user's input's fault, not ours. The CLI turns them into one line on
 * stderr and exit code 2; the editor shows them as a message. Neither prints a stack trace.
 */
export class InputError extends Error {
  constructor(
    message: string,
    /** The file or argument at fault, when there is one. */
    readonly source?: string,
    /** Byte offset in `source` where the damage starts, for files. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** One line: `FILE: at byte N: message`, or the parts that are known. */
  describe(): string {
    const where = [
      this.source,
      this.offset !== undefined ? `at byte ${this.offset}` : undefined,
    ].filter((p): p is string => p !== undefined);
    return where.length > 0 ? `${where.join(': ')}: ${this.message}` : this.message;
  }
}

/** A command-line usage problem (unknown flag, missing argument): exit code 2. */
export class UsageError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The message of anything thrown, without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof InputError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}
