/**
 * Passes Bazel's console through line by line, redacted (an rc file's `--remote_header` shows up
 * in `--announce_rc` output), and keeps the text for reading the outcome afterwards.
 */
import type { Readable } from 'node:stream';

/** Text kept for parsing; beyond this the oldest half is dropped (the outcome is at the end). */
const KEEP_CHARS = 4 * 1024 * 1024;

export class ConsolePipe {
  private partial = '';
  private kept = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly redact: (text: string) => string,
  ) {}

  /** Everything that passed through (redacted). */
  get text(): string {
    return this.kept;
  }

  attach(stream: Readable): Promise<void> {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.push(chunk));
    return new Promise((resolve) => stream.on('close', () => resolve(this.flush())));
  }

  private push(chunk: string): void {
    const text = this.partial + chunk;
    const cut = text.lastIndexOf('\n');
    this.partial = cut >= 0 ? text.slice(cut + 1) : text;
    if (cut >= 0) this.emit(text.slice(0, cut + 1));
    // A line without its newline yet ("Loading: ...") is shown after a moment anyway.
    if (this.timer) clearTimeout(this.timer);
    if (this.partial !== '') this.timer = setTimeout(() => this.flush(), 200);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private emit(text: string): void {
    const clean = this.redact(text);
    this.out.write(clean);
    this.kept += clean;
    if (this.kept.length > KEEP_CHARS)
      this.kept = this.kept.slice(this.kept.length - KEEP_CHARS / 2);
  }
}
