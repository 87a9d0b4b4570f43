/**
 * Follows the BEP file terminal builds write (see terminal-builds.ts) into the editor's model and
 * the workspace's history store. Only reads: the builds never wait for it, and when the editor is
 * closed the file is simply not read. Bazel rewrites the file at the start of every command, so a
 * changed beginning means a new build; each build is recorded once, when its last event has
 * arrived and Bazel has finished writing its execution log.
 */
import * as fs from 'node:fs';
import { BepStreamDecoder } from '../bep';
import type { BepEvent } from '../bep/types';
import { Redactor } from '../bes/redact';
import { readExecLogFile } from '../execlog';
import type { Spawn } from '../execlog/types';
import type { BuildModel } from '../model/build-model';
import type { HistoryStore } from '../store/history-store';
import { errorMessage } from '../util/errors';
import type { TerminalFiles } from './terminal-builds';

/** How much of the file's beginning tells one build's file from the next (holds the uuid). */
const HEAD_BYTES = 256;

export interface TerminalWatchOptions {
  files: TerminalFiles;
  /** The editor's live model: terminal builds appear there as they run. */
  model: BuildModel;
  store: HistoryStore;
  intervalMs?: number;
  /** How long to wait for the execution log after the last event before recording without. */
  execLogWaitMs?: number;
  onRecorded?: (invocationId: string) => void;
  /** Problems (a damaged file, a store that cannot be written): never thrown at the caller. */
  onProblem?: (message: string) => void;
}

interface Current {
  id: string;
  /** Started by this editor (the runner feeds it) or already in the store: only watched. */
  skip: boolean;
  lastMessageAt: number | null;
  execLogSize: number;
  done: boolean;
}

export class TerminalBuildWatcher {
  private head: Buffer | null = null;
  private offset = 0;
  private decoder: BepStreamDecoder;
  private current: Current | null = null;
  private redactor = new Redactor();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private broken = false;

  constructor(private readonly options: TerminalWatchOptions) {
    this.decoder = new BepStreamDecoder(options.files.bep);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 500);
    void this.poll();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the file (the timer calls it; tests call it directly). */
  async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.readNew();
      await this.finishIfComplete();
    } catch (err) {
      this.options.onProblem?.(`terminal builds: ${errorMessage(err)}`);
    } finally {
      this.busy = false;
    }
  }

  private readNew(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.options.files.bep, 'r');
    } catch {
      return; // no terminal build yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      fs.readSync(fd, head, 0, head.length, 0);
      if (this.isNewFile(head, size)) this.restart();
      if (this.head === null || head.length > this.head.length) this.head = head;
      if (this.broken || size <= this.offset) return;
      const chunk = Buffer.alloc(size - this.offset);
      const read = fs.readSync(fd, chunk, 0, chunk.length, this.offset);
      this.offset += read;
      const now = Date.now();
      for (const event of this.decoder.push(chunk.subarray(0, read))) this.apply(event, now);
      if (this.decoder.error) {
        this.broken = true;
        this.options.onProblem?.(`terminal build events: ${this.decoder.error.describe()}`);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private isNewFile(head: Buffer, size: number): boolean {
    if (this.head === null) return false;
    if (size < this.offset) return true;
    const common = Math.min(head.length, this.head.length);
    return !head.subarray(0, common).equals(this.head.subarray(0, common));
  }

  /** A new build rewrote the file: a build still open here was cut off. */
  private restart(): void {
    const cut = this.current;
    if (cut !== null && !cut.skip && !cut.done) {
      this.options.model.endInvocation(cut.id, null);
    }
    this.decoder = new BepStreamDecoder(this.options.files.bep);
    this.redactor = new Redactor();
    this.offset = 0;
    this.head = null;
    this.current = null;
    this.broken = false;
  }

  private apply(event: BepEvent, now: number): void {
    const { model, store } = this.options;
    if (this.current === null) {
      const id = event.started?.uuid;
      if (id === undefined) return; // the first event of a build file is BuildStarted
      const skip = model.invocation(id) !== undefined || store.summary(id) !== null;
      this.current = { id, skip, lastMessageAt: null, execLogSize: -1, done: skip };
      if (!skip) model.startInvocation(id);
    }
    const current = this.current;
    if (!current.skip) model.applyEvent(current.id, this.redactor.event(event), now);
    if (event.lastMessage === true) current.lastMessageAt = now;
  }

  private async finishIfComplete(): Promise<void> {
    const current = this.current;
    if (current === null || current.done || current.lastMessageAt === null) return;
    const { model, files } = this.options;
    const startedAt = model.invocation(current.id)?.startedAt ?? 0;
    const log = fs.statSync(files.execLog, { throwIfNoEntry: false });
    // Bazel writes the log when the command ends: wait until it is this build's and stopped growing.
    const fresh = log !== undefined && log.mtimeMs >= startedAt - 1000 && log.size > 0;
    const stable = fresh && log.size === current.execLogSize;
    if (fresh) current.execLogSize = log.size;
    const waited = Date.now() - current.lastMessageAt;
    if (!stable && waited < (this.options.execLogWaitMs ?? 15_000)) return;
    current.done = true;
    let spawns: Spawn[] | null = null;
    if (stable) {
      const read = await readExecLogFile(files.execLog);
      spawns = read.spawns;
      model.applyExecLog(current.id, spawns);
    } else {
      model.execLogUnavailable(current.id, `no execution log for this build at ${files.execLog}`);
    }
    model.endInvocation(current.id, model.invocation(current.id)?.exitCode ?? null);
    const summary = model.summary(current.id);
    if (summary === undefined) return;
    try {
      this.options.store.record(summary, spawns, (t) => this.redactor.text(t));
      this.options.onRecorded?.(current.id);
    } catch (err) {
      this.options.onProblem?.(`history store: ${errorMessage(err)}`);
    }
  }
}
