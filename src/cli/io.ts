/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Writes a human line of our own on stderr, prefixed so it can be told from Bazel's. */
export function say(io: CliIO, line: string): void {
  io.stderr.write(`rbl: ${line}\n`);
}

/** Writes the one JSON object that `--json` promises on stdout. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
