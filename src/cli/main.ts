import { InputError, errorMessage } from '../util/errors';
import type { CliIO } from './io';
import { commands } from './commands';

const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: rbl <command> [options]',
    '',
    'Remote Build Lens on the command line: run Bazel and see where every action ran,',
    'explain cache misses, and set up remote caching and execution.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `rbl <command> --help` for the options of one command.',
    'Exit codes: 0 success; 1 the thing checked is false or the build failed;',
    '2 bad input or usage. `--debug` prints stack traces of unexpected errors.',
    '',
  ].join('\n');
}

/** Runs `rbl` with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter(
    (a, i) => a !== '--debug' || (argv.indexOf('--') >= 0 && i > argv.indexOf('--')),
  );
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`rbl: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (rest[0] === '--help' || rest[0] === '-h') {
    io.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    io.stderr.write(`rbl: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return err instanceof InputError ? 2 : 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`rbl: internal error: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}
