import * as vscode from 'vscode';
import type { BuildModelView, Invocation } from '../model/types';
import { formatPercent, joinParts } from '../presentation/format';
import { formatMix, liveRates, mixOf } from '../presentation/mix';
import type { ConsoleProgress } from '../presentation/progress';
import { invocationResult } from '../presentation/rows';

/** The status bar item's id; the workbench element is `[id="remote-build-lens.remote-build-lens.remoteBuildLens.status"]`. */
export const STATUS_ITEM_ID = 'remoteBuildLens.status';

/**
 * One status bar item for the newest invocation: while it runs, a spinner, finished/total actions
 * and the live cached/remote share; after, the result and the mix, green or red. A click focuses
 * the Builds tree.
 */
export class BuildStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    STATUS_ITEM_ID,
    vscode.StatusBarAlignment.Left,
    50,
  );
  private progress: ConsoleProgress | null = null;
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: BuildModelView) {
    this.item.name = 'Remote Build Lens';
    this.item.command = 'remoteBuildLens.builds.focus';
    this.subscription = model.onDidChange(() => this.update());
  }

  /** Bazel's console counter for the running build (null when a new build starts). */
  setProgress(progress: ConsoleProgress | null): void {
    this.progress = progress;
    this.update();
  }

  update(): void {
    const newest = newestInvocation(this.model.invocations());
    if (newest === undefined) {
      this.item.hide();
      return;
    }
    const actions = this.model.actions(newest.id);
    const running = newest.state === 'running';
    const text = running ? this.runningText(newest.id) : this.finishedText(newest);
    this.item.text = text;
    this.item.tooltip = `Remote Build Lens: bazel ${[newest.command ?? '', ...newest.patterns].join(' ')}\n${formatMix(mixOf(newest, actions), !running)}\nClick to show the Builds view.`;
    const result = invocationResult(newest);
    this.item.color =
      running || result === 'interrupted'
        ? undefined
        : new vscode.ThemeColor(result === 'passed' ? 'testing.iconPassed' : 'testing.iconFailed');
    this.item.backgroundColor =
      result === 'failed' || result === 'aborted'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private runningText(invocationId: string): string {
    const actions = this.model.actions(invocationId).filter((a) => a.location !== 'internal');
    const counter =
      this.progress === null
        ? `${actions.length} done`
        : `${this.progress.done}/${this.progress.total}`;
    const rates = liveRates(actions);
    return joinParts([
      `$(sync~spin) ${counter}`,
      rates.cacheHitRate === null ? null : `${formatPercent(rates.cacheHitRate)} cached`,
      rates.remoteRate === null ? null : `${formatPercent(rates.remoteRate)} remote`,
    ]);
  }

  private finishedText(invocation: Invocation): string {
    const result = invocationResult(invocation);
    const icon =
      result === 'passed' ? '$(pass)' : result === 'interrupted' ? '$(circle-slash)' : '$(error)';
    const mix = formatMix(mixOf(invocation, this.model.actions(invocation.id)), true);
    return `${icon} ${invocation.command ?? 'build'} ${result} · ${mix}`;
  }
}

function newestInvocation(list: readonly Invocation[]): Invocation | undefined {
  let newest: Invocation | undefined;
  for (const inv of list) {
    const start = inv.startedAt ?? Number.MAX_SAFE_INTEGER;
    if (newest === undefined || start >= (newest.startedAt ?? Number.MAX_SAFE_INTEGER))
      newest = inv;
  }
  return newest;
}
