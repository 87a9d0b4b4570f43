import { Writable } from 'node:stream';
import { BuildModel } from '../model/build-model';
import { runBuild } from '../runner/build-session';
import type { BuildLauncher, BuildRequest, StartedBuild } from './build-launcher';
import type { Engine } from './lens-context';

/**
 * Adapts the build engine (model, runner with the BES sink, history store) to what the editor
 * needs: one model shared by every view, and builds started through the same runner `rbl build`
 * uses, so the editor and the CLI record the same invocations in the same store.
 */
export function createEngine(): Engine {
  const model = new BuildModel();
  return {
    model,
    launcher: new RunnerLauncher(model),
    clearHistory: () => {
      for (const invocation of model.invocations()) {
        if (invocation.state !== 'running') model.forget(invocation.id);
      }
      model.flush();
      return Promise.resolve();
    },
  };
}

class RunnerLauncher implements BuildLauncher {
  constructor(private readonly model: BuildModel) {}

  start(request: BuildRequest, onConsole: (chunk: string) => void): Promise<StartedBuild> {
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
