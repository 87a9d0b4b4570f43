import * as vscode from 'vscode';
import type { BuildModelView } from '../model/types';
import type { BuildLauncher } from './build-launcher';
import { BuildOutput } from './build-output';
import { BuildSession } from './build-session';
import { BuildsTreeProvider } from './builds-tree';
import { BuildProblems } from './problems';
import { Settings } from './settings';
import { BuildStatusBar } from './status-bar';
import { TargetCatalogue } from './target-catalogue';
import { BuildTaskProvider, TASK_TYPE } from './task-provider';
import { TerminalBuilds, type WatchTerminalBuilds } from './terminal-builds';
import { BuildTestExplorer } from './test-explorer';

/** The id of the Builds tree in package.json (`<id>.focus` is VS Code's own command). */
export const BUILDS_VIEW_ID = 'remoteBuildLens.builds';

/** What the composition root hands in: the engine's model and a way to start builds. */
export interface Engine {
  model: BuildModelView;
  launcher: BuildLauncher;
  /** Forgets the stored history (the store's own clear), then the model's. */
  clearHistory(): Promise<void>;
  /** Follows the file terminal builds of `root` write (opt-in, see terminal-builds.ts). */
  watchTerminalBuilds: WatchTerminalBuilds;
}

/**
 * The one extension-lifetime object: every view and command gets it instead of reaching for
 * globals. It owns everything it creates and disposes it in reverse order.
 */
export class LensContext implements vscode.Disposable {
  readonly settings = new Settings();
  readonly output = new BuildOutput();
  readonly problems = new BuildProblems();
  readonly model: BuildModelView;
  readonly tree: BuildsTreeProvider;
  readonly statusBar: BuildStatusBar;
  readonly session: BuildSession;
  readonly targets: TargetCatalogue;
  readonly treeView: vscode.TreeView<unknown>;
  readonly testExplorer: BuildTestExplorer;
  readonly terminalBuilds: TerminalBuilds;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly engine: Engine,
    roots: () => string[],
  ) {
    this.model = engine.model;
    this.tree = new BuildsTreeProvider(
      this.model,
      () => this.settings.snapshot().historySize,
      roots,
    );
    this.statusBar = new BuildStatusBar(this.model);
    this.session = new BuildSession(
      engine.launcher,
      this.output,
      this.statusBar,
      this.problems,
      () => this.targets.interruptQueries(),
    );
    this.testExplorer = new BuildTestExplorer(this.model, async (labels) =>
      vscode.commands.executeCommand('remoteBuildLens.test', { targets: labels }),
    );
    this.targets = new TargetCatalogue(() => this.settings.snapshot().bazelPath);
    this.treeView = vscode.window.createTreeView(BUILDS_VIEW_ID, {
      treeDataProvider: this.tree,
      showCollapseAll: true,
    });
    this.terminalBuilds = new TerminalBuilds(
      engine.watchTerminalBuilds,
      roots,
      this.settings,
      (message) => this.output.note(message),
    );
    this.disposables.push(
      this.settings,
      this.output,
      this.problems,
      this.tree,
      this.statusBar,
      this.session,
      this.targets,
      this.testExplorer,
      this.terminalBuilds,
      this.treeView,
      this.settings.onDidChange(() => this.tree.refreshAll()),
      // A folder added or removed may add or remove a workspace section.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.tree.refreshAll()),
      vscode.tasks.registerTaskProvider(
        TASK_TYPE,
        new BuildTaskProvider(this.session, this.settings, roots),
      ),
    );
    // No statusBar.update() here: it would read the history store on activation. The item
    // appears with the first build of this window; past builds are in the tree.
  }

  async clearHistory(): Promise<void> {
    await this.engine.clearHistory();
    this.tree.refreshAll();
    this.statusBar.update();
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
