import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { applyPlan } from '../config/edit-plan';
import {
  planTerminalBuildsOff,
  planTerminalBuildsOn,
  terminalBuildsEnabled,
  terminalFiles,
  type TerminalFiles,
} from '../presentation/terminal-builds';
import { findBazel } from '../runner/bazel-binary';
import { errorMessage } from '../util/errors';
import type { Settings } from './settings';

export const SHOW_TERMINAL_BUILDS = 'remoteBuildLens.showTerminalBuilds';
export const STOP_TERMINAL_BUILDS = 'remoteBuildLens.stopTerminalBuilds';
/** Context key: terminal builds of some open workspace show in the panel. */
const CONTEXT_TERMINAL = 'remoteBuildLens.terminalBuilds';

/** What the engine offers: follow a workspace's terminal build file into the model and store. */
export type WatchTerminalBuilds = (
  root: string,
  files: TerminalFiles,
  onProblem: (message: string) => void,
) => { dispose(): void };

/**
 * The opt-in "Show Terminal Builds" / "Stop Showing Terminal Builds" commands and, per workspace
 * where it is on, a watcher of the file terminal builds write. Whether it is on is read from the
 * rc files a moment after activation, never during it.
 */
export class TerminalBuilds implements vscode.Disposable {
  private readonly watchers = new Map<string, { dispose(): void }>();
  private readonly disposables: vscode.Disposable[];
  private readonly deferred: NodeJS.Timeout;

  constructor(
    private readonly watch: WatchTerminalBuilds,
    private readonly roots: () => string[],
    private readonly settings: Settings,
    /** Where a problem reading terminal builds is told (the output channel). */
    private readonly note: (message: string) => void = () => undefined,
  ) {
    this.disposables = [
      vscode.commands.registerCommand(SHOW_TERMINAL_BUILDS, (root?: unknown) =>
        this.show(typeof root === 'string' ? root : undefined),
      ),
      vscode.commands.registerCommand(STOP_TERMINAL_BUILDS, (root?: unknown) =>
        this.stopShowing(typeof root === 'string' ? root : undefined),
      ),
    ];
    this.deferred = setTimeout(() => this.resume(), 1000);
  }

  /** Workspaces whose terminal builds are followed now. */
  get watched(): string[] {
    return [...this.watchers.keys()];
  }

  /** Starts following the workspaces whose rc files already have our lines. */
  resume(): void {
    for (const root of this.roots()) {
      try {
        const files = terminalBuildsEnabled({ workspace: root });
        if (files !== null) this.follow(root, files);
      } catch {
        // An rc file that cannot be read stops nothing: builds from the editor still show.
      }
    }
    this.updateContext();
  }

  async show(rootArg?: string): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'Remote Build Lens: terminal builds can be shown in a trusted workspace only.',
      );
      return undefined;
    }
    const root = rootArg ?? (await this.pick('Show terminal builds of which workspace?'));
    if (root === undefined) return undefined;
    try {
      const outputBase = await this.outputBase(root);
      const files = terminalFiles(outputBase);
      const plan = planTerminalBuildsOn({ workspace: root }, files);
      const written = applyPlan(plan);
      this.follow(root, files);
      this.updateContext();
      void vscode.window.showInformationMessage(
        `Remote Build Lens: builds you run in a terminal in ${root} now show here (${written.join(', ') || 'rc file unchanged'}; Bazel writes ${files.bep}).`,
      );
      return written[0];
    } catch (err) {
      void vscode.window.showErrorMessage(`Remote Build Lens: ${errorMessage(err)}`);
      return undefined;
    }
  }

  async stopShowing(rootArg?: string): Promise<string[] | undefined> {
    const root =
      rootArg ??
      (await this.pick('Stop showing terminal builds of which workspace?', this.watched));
    if (root === undefined) return undefined;
    try {
      const written = applyPlan(planTerminalBuildsOff({ workspace: root }));
      this.watchers.get(root)?.dispose();
      this.watchers.delete(root);
      this.updateContext();
      void vscode.window.showInformationMessage(
        `Remote Build Lens: terminal builds in ${root} no longer show here${written.length > 0 ? ` (${written.join(', ')})` : ''}.`,
      );
      return written;
    } catch (err) {
      void vscode.window.showErrorMessage(`Remote Build Lens: ${errorMessage(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.deferred);
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    for (const d of this.disposables) d.dispose();
  }

  private follow(root: string, files: TerminalFiles): void {
    this.watchers.get(root)?.dispose();
    this.watchers.set(root, this.watch(root, files, this.note));
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', CONTEXT_TERMINAL, this.watchers.size > 0);
  }

  private async pick(placeHolder: string, among = this.roots()): Promise<string | undefined> {
    if (among.length <= 1) return among[0];
    return vscode.window.showQuickPick(among, { placeHolder });
  }

  /** `bazel info output_base`: Bazel creates that folder itself before it writes a file there. */
  private outputBase(root: string): Promise<string> {
    const bazel = findBazel(this.settings.snapshot().bazelPath || undefined, process.env, root);
    return new Promise((resolve, reject) => {
      execFile(bazel, ['info', 'output_base'], { cwd: root, timeout: 120_000 }, (err, stdout) => {
        const dir = stdout.trim();
        if (err !== null || !dir.startsWith('/')) {
          reject(new Error(`bazel info output_base failed: ${err?.message ?? stdout}`));
        } else resolve(dir);
      });
    });
  }
}
