/**
 * The one invocation history store of a workspace, in `<workspace>/.rbl/history/` (a `.gitignore`
 * of `*` in `.rbl/` keeps it out of every repository). Per invocation: `summary.json` and the
 * execution log as SpawnExec JSON; for the whole workspace: `baseline.exec.json`, the last known
 * spawn of every output set merged over all builds (a log never holds what Bazel's local action
 * cache skipped, so the cache-miss explanation compares with this). Bounded in count and bytes,
 * oldest dropped first; every file is written atomically; nothing secret is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpawnJsonDecoder } from '../execlog/json-decoder';
import type { Spawn } from '../execlog/types';
import { writeFileAtomic } from './atomic-write';
import { withDirLock } from './dir-lock';
import { spawnsToJsonLog, type Redact } from './spawn-json';

export interface StoreLimits {
  maxInvocations: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxInvocations: 50, maxBytes: 256 * 1024 * 1024 };

/**
 * What the store needs of an invocation summary (the model's InvocationSummary has these and
 * more; the whole object is stored as given).
 */
export interface StoredSummary {
  invocationId: string;
  command: string | null;
  exitCode: number | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface StoredInvocation {
  id: string;
  command: string | null;
  exitCode: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** Folder of this invocation's files. */
  dir: string;
}

const SUMMARY = 'summary.json';
const EXEC_LOG = 'exec.log.json';
const BASELINE = 'baseline.exec.json';
/** Prefix of a folder being deleted: `~` is not allowed in an id, so `list()` never reads it. */
const TRASH = '~cleared-';

/** Output set key of a spawn: its sorted listed outputs. */
export function outputSetKey(spawn: Spawn): string {
  const outputs =
    spawn.listedOutputs.length > 0 ? spawn.listedOutputs : spawn.actualOutputs.map((f) => f.path);
  return [...outputs].sort().join('\n');
}

export class HistoryStore {
  constructor(
    readonly dir: string,
    private readonly limits: StoreLimits = DEFAULT_LIMITS,
  ) {}

  /** The store of the workspace at `workspaceDir`. */
  static forWorkspace(workspaceDir: string, limits: StoreLimits = DEFAULT_LIMITS): HistoryStore {
    const rbl = path.join(workspaceDir, '.rbl');
    return new HistoryStore(path.join(rbl, 'history'), limits);
  }

  /**
   * Records a finished invocation. `spawns` (null when no log was read) are merged into the
   * baseline.
   */
  record(summary: StoredSummary, spawns: readonly Spawn[] | null, redact: Redact): void {
    this.ensureIgnored();
    const dir = this.invocationDir(summary.invocationId);
    if (spawns) writeFileAtomic(path.join(dir, EXEC_LOG), spawnsToJsonLog(spawns, redact));
    writeFileAtomic(path.join(dir, SUMMARY), redact(JSON.stringify(summary, null, 2)));
    withDirLock(path.join(this.dir, '.lock'), () => {
      if (spawns && spawns.length > 0) this.mergeBaseline(spawns, redact);
      this.prune();
    });
  }

  /**
   * Forgets every stored invocation and the baseline ("Clear history"); returns how many
   * invocations went. Under the store's lock, so it never interleaves with a build's prune or
   * baseline merge; each invocation folder is first renamed to a name `list()` skips, so a
   * reader sees a whole invocation or none of it, never half. The `.gitignore` stays.
   */
  clear(lockTimeoutMs = 15_000): number {
    if (!fs.existsSync(this.dir)) return 0;
    return withDirLock(
      path.join(this.dir, '.lock'),
      () => {
        let cleared = 0;
        for (const name of fs.readdirSync(this.dir)) {
          const entry = path.join(this.dir, name);
          if (name === '.lock') continue;
          if (name === BASELINE || name.startsWith(TRASH)) {
            fs.rmSync(entry, { recursive: true, force: true });
            continue;
          }
          if (!fs.statSync(entry, { throwIfNoEntry: false })?.isDirectory()) continue;
          if (this.summary(name) !== null) cleared++;
          const trash = path.join(this.dir, `${TRASH}${name}`);
          fs.renameSync(entry, trash);
          fs.rmSync(trash, { recursive: true, force: true });
        }
        return cleared;
      },
      lockTimeoutMs,
    );
  }

  list(): StoredInvocation[] {
    if (!fs.existsSync(this.dir)) return [];
    const out: StoredInvocation[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const summary = this.summary(name);
      if (!summary) continue;
      out.push({
        id: summary.invocationId,
        command: summary.command,
        exitCode: summary.exitCode,
        startedAt: summary.startedAt,
        finishedAt: summary.finishedAt,
        dir: this.invocationDir(name),
      });
    }
    return out.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
  }

  /** The stored summary (the whole object `record` was given), or null. */
  summary(id: string): (StoredSummary & Record<string, unknown>) | null {
    try {
      return JSON.parse(
        fs.readFileSync(path.join(this.invocationDir(id), SUMMARY), 'utf8'),
      ) as StoredSummary & Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** The invocation's execution log (SpawnExec JSON), or null when none was kept. */
  execLogPath(id: string): string | null {
    const file = path.join(this.invocationDir(id), EXEC_LOG);
    return fs.existsSync(file) ? file : null;
  }

  /** The merged per-output baseline (SpawnExec JSON), or null before the first build with spawns. */
  baselinePath(): string | null {
    const file = path.join(this.dir, BASELINE);
    return fs.existsSync(file) ? file : null;
  }

  private invocationDir(id: string): string {
    if (!/^[\w.-]+$/.test(id)) throw new Error(`not an invocation id: '${id}'`);
    return path.join(this.dir, id);
  }

  private ensureIgnored(): void {
    const ignore = path.join(path.dirname(this.dir), '.gitignore');
    if (!fs.existsSync(ignore))
      writeFileAtomic(ignore, '# Remote Build Lens history: never commit it.\n*\n');
  }

  private mergeBaseline(spawns: readonly Spawn[], redact: Redact): void {
    const file = path.join(this.dir, BASELINE);
    const merged = new Map<string, Spawn>();
    for (const s of readBaseline(file)) merged.set(outputSetKey(s), s);
    for (const s of spawns) {
      const key = outputSetKey(s);
      merged.delete(key); // re-insert: the newest spawns come last
      merged.set(key, s);
    }
    const ordered = [...merged.values()].map((s, index) => ({ ...s, index }));
    writeFileAtomic(file, spawnsToJsonLog(ordered, redact));
  }

  /** Drops the oldest invocations beyond the count or byte limits. */
  private prune(): void {
    const all = this.list().map((inv) => ({ ...inv, bytes: dirBytes(inv.dir) }));
    let total =
      all.reduce((sum, inv) => sum + inv.bytes, 0) + fileBytes(path.join(this.dir, BASELINE));
    let count = all.length;
    for (const inv of all) {
      if (count <= this.limits.maxInvocations && total <= this.limits.maxBytes) break;
      if (count <= 1) break;
      fs.rmSync(inv.dir, { recursive: true, force: true });
      count--;
      total -= inv.bytes;
    }
  }
}

function fileBytes(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

function dirBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir).reduce((sum, name) => sum + fileBytes(path.join(dir, name)), 0);
}

/** The baseline's spawns; of a damaged baseline (never expected), what decodes before the damage. */
function readBaseline(file: string): Spawn[] {
  if (!fs.existsSync(file)) return [];
  const decoder = new SpawnJsonDecoder(file);
  const spawns = decoder.push(fs.readFileSync(file));
  try {
    decoder.finish();
  } catch {
    // keep what decoded before the damage
  }
  return spawns;
}
