/**
 * Socket-free mode: follows `--build_event_binary_file` while Bazel writes it (flushed about every
 * 250 ms; the last record may be partial) and hands each complete event on, redacted.
 */
import * as fs from 'node:fs';
import { BepStreamDecoder } from '../bep';
import type { BepEvent } from '../bep/types';
import type { Redactor } from './redact';
import type { InputError } from '../util/errors';

export class BepFileTail {
  private offset = 0;
  private readonly decoder: BepStreamDecoder;
  private timer: NodeJS.Timeout | undefined;
  error: InputError | null = null;

  constructor(
    private readonly file: string,
    private readonly redactor: Redactor,
    private readonly onEvent: (event: BepEvent, receivedAt: number) => void,
    private readonly intervalMs = 100,
  ) {
    this.decoder = new BepStreamDecoder(file);
  }

  start(): void {
    this.timer = setInterval(() => this.poll(), this.intervalMs);
  }

  /** Reads what is left and checks the file ended on a record boundary. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.poll();
    if (this.error) return;
    try {
      this.decoder.finish();
    } catch (err) {
      this.error = err as InputError;
    }
  }

  private poll(): void {
    if (this.error) return;
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return;
      const chunk = Buffer.alloc(size - this.offset);
      const read = fs.readSync(fd, chunk, 0, chunk.length, this.offset);
      this.offset += read;
      const now = Date.now();
      for (const event of this.decoder.push(chunk.subarray(0, read)))
        this.onEvent(this.redactor.event(event), now);
      this.error = this.decoder.error;
    } finally {
      fs.closeSync(fd);
    }
  }
}
