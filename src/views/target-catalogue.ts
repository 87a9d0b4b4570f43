import { execFile, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';

/** Which targets a picker offers: everything buildable, or only tests. */
export type TargetKind = 'build' | 'test';

const QUERIES: Record<TargetKind, string> = {
  build: 'kind(rule, //...)',
  test: 'tests(//...)',
};

/** How long to wait before asking again when Bazel was busy with the user's own command. */
const RETRY_MS = 15_000;

/**
 * Target labels from `bazel query`, cached per workspace and refreshed in the background. The
 * query runs with `--noblock_for_lock`: when the user's build or a terminal command holds Bazel's
 * server lock, the query gives up at once and tries again later instead of making them wait.
 */
export class TargetCatalogue {
  private readonly cache = new Map<string, string[]>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly retries = new Set<ReturnType<typeof setTimeout>>();
  private readonly queries = new Set<ChildProcess>();

  constructor(private readonly bazelPath: () => string) {}

  /** What is known now (possibly empty); starts a refresh in the background. */
  labels(workspace: string, kind: TargetKind): string[] {
    void this.refresh(workspace, kind);
    return this.cache.get(key(workspace, kind)) ?? [];
  }

  refresh(workspace: string, kind: TargetKind): Promise<void> {
    const k = key(workspace, kind);
    const running = this.inFlight.get(k);
    if (running !== undefined) return running;
    const done = this.query(workspace, kind)
      .then((labels) => {
        if (labels === null) this.retryLater(workspace, kind);
        else this.cache.set(k, labels);
      })
      .finally(() => this.inFlight.delete(k));
    this.inFlight.set(k, done);
    return done;
  }

  /**
   * Stops running queries: called when the user starts a build, so that a query that got
   * Bazel's lock first never makes the build wait. They are asked again later.
   */
  interruptQueries(): void {
    for (const child of this.queries) child.kill('SIGINT');
  }

  dispose(): void {
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    this.interruptQueries();
  }

  /** The labels, or null when Bazel was busy or the query failed (never throws). */
  private query(workspace: string, kind: TargetKind): Promise<string[] | null> {
    // Restricted Mode: a query runs the workspace's code like a build does. No labels, no retry.
    if (!vscode.workspace.isTrusted) return Promise.resolve([]);
    const args = ['--noblock_for_lock', 'query', QUERIES[kind], '--output=label', '--keep_going'];
    return new Promise((resolve) => {
      const child = execFile(
        this.bazelPath() || 'bazel',
        args,
        { cwd: workspace, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (error, stdout) => {
          const labels = stdout
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l.startsWith('//') || l.startsWith('@'));
          this.queries.delete(child);
          // --keep_going exits 3 with a partial result, which is still worth offering.
          resolve(error !== null && labels.length === 0 ? null : labels.sort());
        },
      );
      this.queries.add(child);
    });
  }

  private retryLater(workspace: string, kind: TargetKind): void {
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      void this.refresh(workspace, kind);
    }, RETRY_MS);
    timer.unref();
    this.retries.add(timer);
  }
}

function key(workspace: string, kind: TargetKind): string {
  return `${kind}\u0000${workspace}`;
}
