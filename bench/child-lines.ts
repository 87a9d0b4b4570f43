/**
 * A child process that speaks in lines on stdout: the benchmarks' separate client processes.
 * Waits for a line matching a pattern, with a time limit and a clear error if the child dies.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export class LineChild {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;
  private stderr = '';
  private exited: string | null = null;

  constructor(
    readonly name: string,
    file: string,
    args: readonly string[],
  ) {
    this.child = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      const parts = this.buffered.split('\n');
      this.buffered = parts.pop() ?? '';
      this.lines.push(...parts);
      this.waiter?.();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? code})`;
      this.waiter?.();
    });
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** The next stdout line matching `pattern` (earlier non-matching lines are dropped). */
  async next(pattern: RegExp, timeoutMs = 300_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.lines.length > 0) {
        const line = this.lines.shift() as string;
        if (pattern.test(line)) return line;
      }
      if (this.exited)
        throw new Error(`${this.name} ${this.exited} before printing ${pattern}: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  /** Closes stdin (the child's cue to exit), or sends `signal`, and waits for it to end. */
  async close(signal?: NodeJS.Signals): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    if (signal) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  }
}
