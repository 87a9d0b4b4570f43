import * as vscode from 'vscode';
import { errorMessage } from '../util/errors';
import { lastProgress } from '../presentation/progress';
import { stripAnsi } from '../presentation/ansi';
import type { BuildLauncher, BuildRequest, StartedBuild } from './build-launcher';
import type { BuildOutput } from './build-output';
import type { BuildProblems } from './problems';
import type { BuildStatusBar } from './status-bar';
import { mayRunBazel } from './workspace-trust';

/** Context keys the `when` clauses of package.json test. */
export const CONTEXT_BUILDING = 'remoteBuildLens.building';
export const CONTEXT_HAS_LAST_BUILD = 'remoteBuildLens.hasLastBuild';

/** Console text kept per build for the Problems panel: errors are near the end. */
const MAX_CONSOLE_CHARS = 8 * 1024 * 1024;

/**
 * The one build the editor runs at a time: starts it, streams its console to the output channel
 * and its progress counter to the status bar, remembers it for "Rebuild last", cancels it.
 */
export class BuildSession implements vscode.Disposable {
  private running: StartedBuild | undefined;
  private last: BuildRequest | undefined;
  /** The running build's console, for the Problems panel at its end (tail kept when huge). */
  private console = '';

  constructor(
    private readonly launcher: BuildLauncher,
    private readonly output: BuildOutput,
    private readonly statusBar: BuildStatusBar,
    private readonly problems: BuildProblems,
    /** Runs before Bazel starts, e.g. to stop background queries that hold Bazel's lock. */
    private readonly beforeBuild: () => void = () => undefined,
  ) {}

  get isBuilding(): boolean {
    return this.running !== undefined;
  }

  get lastRequest(): BuildRequest | undefined {
    return this.last;
  }

  /** Starts a build and resolves with its exit code once Bazel has exited. */
  async run(
    request: BuildRequest,
    /** Also receives the console, e.g. a task's terminal. */
    alsoConsole?: (chunk: string) => void,
  ): Promise<number | undefined> {
    // Every way to start a build (commands, Rebuild Last, tasks) comes through here.
    if (!mayRunBazel()) return undefined;
    if (this.running !== undefined) {
      void vscode.window.showWarningMessage(
        'Remote Build Lens: a build is already running; cancel it first.',
      );
      return undefined;
    }
    this.last = request;
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_LAST_BUILD, true);
    this.output.startBuild(['bazel', request.command, ...request.args].join(' '));
    this.statusBar.setProgress(null);
    this.problems.clear();
    this.console = '';
    this.beforeBuild();
    try {
      this.running = await this.launcher.start(request, (chunk) => {
        this.onConsole(chunk);
        alsoConsole?.(chunk);
      });
    } catch (err) {
      this.output.note(`could not start Bazel: ${errorMessage(err)}`);
      void vscode.window.showErrorMessage(`Remote Build Lens: ${errorMessage(err)}`);
      return undefined;
    }
    void vscode.commands.executeCommand('setContext', CONTEXT_BUILDING, true);
    try {
      const exitCode = await this.running.finished;
      this.output.finishBuild();
      this.problems.replace(this.console, request.workspace);
      this.output.note(`bazel ${request.command} exited with ${exitCode}`);
      return exitCode;
    } catch (err) {
      this.output.finishBuild();
      this.output.note(`the build failed to run: ${errorMessage(err)}`);
      void vscode.window.showErrorMessage(`Remote Build Lens: ${errorMessage(err)}`);
      return undefined;
    } finally {
      this.running = undefined;
      void vscode.commands.executeCommand('setContext', CONTEXT_BUILDING, false);
      this.statusBar.update();
    }
  }

  cancel(): void {
    this.running?.cancel();
  }

  dispose(): void {
    // A closing window must not leave a build holding Bazel's lock.
    this.running?.cancel();
  }

  private onConsole(chunk: string): void {
    this.output.append(chunk);
    this.console += chunk;
    if (this.console.length > MAX_CONSOLE_CHARS) {
      this.console = this.console.slice(this.console.length - MAX_CONSOLE_CHARS / 2);
    }
    const progress = lastProgress(stripAnsi(chunk));
    if (progress !== null) this.statusBar.setProgress(progress);
  }
}
