import type { CliIO } from './io';

/** One `rbl` subcommand. `run` returns the process exit code (see CONTRACT.md). */
export interface Command {
  name: string;
  /** One line for `rbl --help`. */
  summary: string;
  /** The full help text printed by `rbl NAME --help`. */
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}
