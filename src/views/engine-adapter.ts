import { Writable } from 'node:stream';
import { BuildModel } from '../model/build-model';
import type { InvocationSummary } from '../model/types';
import {
  asInvocationSummary,
  HistoryModelView,
  type StoredSummaryOf,
} from '../presentation/history-view';
import { HistoryStore } from '../store/history-store';
import type { BuildLauncher, BuildRequest, StartedBuild } from './build-launcher';
import type { Engine } from './lens-context';

/**
 * Adapts the build engine (model, runner with the BES sink, history store) to what the editor
 * needs: one model shared by every view, and builds started through the same runner `rbl build`
 * uses, so the editor and the CLI record the same invocations in the same store.
 */
export function createEngine(workspaceRoots: () => string[]): Engine {
  const live = new BuildModel();
  const model = new HistoryModelView(live, () => storedSummaries(workspaceRoots()));
  return {
    model,
    launcher: new RunnerLauncher(live),
    clearHistory: () => {
      // The one store on disk first (what the CLI and every window read), then this window's
      // memory of it; a running build stays and is recorded when it ends.
      for (const root of workspaceRoots()) HistoryStore.forWorkspace(root).clear();
      model.reloadStored();
      for (const invocation of live.invocations()) {
        if (invocation.state !== 'running') live.forget(invocation.id);
      }
      live.flush();
      return Promise.resolve();
    },
    watchTerminalBuilds: (root, files, onProblem) => {
      // Loaded on first use (it brings the BEP and execution-log readers; see activation below).
      let stopped = false;
      let stop = (): void => {};
      void import('../presentation/terminal-watch')
        .then(({ TerminalBuildWatcher }) => {
          if (stopped) return;
          const watcher = new TerminalBuildWatcher({
            files,
            model: live,
            store: HistoryStore.forWorkspace(root),
            onProblem,
          });
          watcher.start();
          stop = () => watcher.stop();
        })
        .catch((err: unknown) => onProblem(err instanceof Error ? err.message : String(err)));
      return {
        dispose: () => {
          stopped = true;
          stop();
        },
      };
    },
  };
}

/** The invocations each workspace's history store kept (`<workspace>/.rbl/history`). */
function storedSummaries(roots: readonly string[]): StoredSummaryOf[] {
  return roots.flatMap((root) => {
    const store = HistoryStore.forWorkspace(root);
    return store
      .list()
      .map((stored) => asInvocationSummary(store.summary(stored.id)))
      .filter((s): s is InvocationSummary => s !== null)
      .map((s) => ({ ...s, workspaceDirectory: root }));
  });
}

class RunnerLauncher implements BuildLauncher {
  constructor(private readonly model: BuildModel) {}

  async start(request: BuildRequest, onConsole: (chunk: string) => void): Promise<StartedBuild> {
    // The runner (BES sink, gRPC, generated protobuf code) is loaded by the first build, not at
    // activation: evaluating it was most of the extension's activation time.
    const { runBuild } = await import('../runner/build-session');
    const abort = new AbortController();
    const console = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        onConsole(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
    const forward = request.settings.forwardBesBackend;
    return new Promise((resolve, reject) => {
      let started = false;
      const finished = runBuild({
        // A user's own --bes_backend makes the runner forward every event there.
        argv: [request.command, ...(forward ? [`--bes_backend=${forward}`] : []), ...request.args],
        cwd: request.workspace,
        env: process.env,
        bazel: request.settings.bazelPath || undefined,
        stdout: console,
        stderr: console,
        model: this.model,
        publishAllActions: request.settings.publishAllActions,
        signal: abort.signal,
        onStarted: ({ invocationId }) => {
          started = true;
          resolve({
            invocationId,
            finished: finished.then((result) => result.exitCode),
            cancel: () => abort.abort(),
          });
        },
      });
      // Before onStarted, a failure (no Bazel, sink cannot listen) is a failure to start.
      finished.catch((err: unknown) => {
        if (!started) reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }
}
