import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../util/errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses flags strictly: an unknown flag or a missing value is a UsageError (exit 2).
 * Everything after `--` is returned untouched in `rest`.
 */
export function parseFlags<T extends OptionSpec>(
  args: string[],
  options: T,
  { allowPositionals = true }: { allowPositionals?: boolean } = {},
) {
  const dashDash = args.indexOf('--');
  const own = dashDash >= 0 ? args.slice(0, dashDash) : args;
  const rest = dashDash >= 0 ? args.slice(dashDash + 1) : [];
  try {
    const parsed = parseArgs({ args: own, options, allowPositionals, strict: true });
    return {
      values: parsed.values,
      positionals: parsed.positionals,
      rest,
      hadDashDash: dashDash >= 0,
    };
  } catch (err) {
    throw new UsageError(
      err instanceof Error ? err.message.replace(/\. To specify.*$/s, '') : String(err),
    );
  }
}
