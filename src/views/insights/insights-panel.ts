import * as vscode from 'vscode';
import type { BuildModelView } from '../../model/types';
import { InsightsFeed } from '../../presentation/insights/feed';
import { insightsHtml } from '../../presentation/insights/html';
import { newNonce } from '../../presentation/webview-html';

export const INSIGHTS_VIEW_TYPE = 'remoteBuildLens.insights';
export const INSIGHTS_COMMAND = 'remoteBuildLens.showInsights';

/**
 * The one "Build Insights" webview panel: the location bar, failures, critical path and slowest
 * actions of one build, and the history chart. What it shows and when is `InsightsFeed`'s
 * (headless, unit-tested); this class only owns the webview. All data crosses as typed
 * messages; the page's script renders them with DOM APIs, never as HTML.
 */
export class InsightsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  readonly feed: InsightsFeed;

  constructor(
    model: BuildModelView,
    private readonly mediaRoot: vscode.Uri,
  ) {
    this.feed = new InsightsFeed(model, (message) => {
      void this.panel?.webview.postMessage(message);
    });
  }

  /** Opens or reveals the panel on `invocationId`, or on the newest build when null. */
  show(invocationId: string | null): void {
    if (this.panel === undefined) this.panel = this.create();
    else this.panel.reveal(undefined, false);
    this.feed.show(invocationId);
  }

  dispose(): void {
    this.feed.dispose();
    this.panel?.dispose();
    this.disposePanelListeners();
  }

  private create(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      INSIGHTS_VIEW_TYPE,
      'Build Insights',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [this.mediaRoot],
      },
    );
    const webview = panel.webview;
    this.feed.pageLoading();
    const media = (file: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, file)).toString();
    webview.html = insightsHtml({
      cspSource: webview.cspSource,
      scriptUri: media('insights.js'),
      styleUri: media('insights.css'),
      nonce: newNonce(),
    });
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.feed.closed();
        this.disposePanelListeners();
      }),
      // Without retainContextWhenHidden the page reloads when shown again and says `ready`.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.feed.pageLoading();
      }),
      webview.onDidReceiveMessage((value: unknown) => this.feed.receive(value)),
    );
    return panel;
  }

  private disposePanelListeners(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
  }
}

/** The invocation a tree row belongs to, when the command ran from a row's context menu. */
export function invocationIdOf(node: unknown): string | null {
  if (typeof node !== 'object' || node === null) return null;
  const id = (node as { invocationId?: unknown }).invocationId;
  return typeof id === 'string' ? id : null;
}

/** Registers the panel and its command ("Remote Build Lens: Show Build Insights"). */
export function registerInsights(
  model: BuildModelView,
  extensionUri: vscode.Uri,
): { panel: InsightsPanel; disposable: vscode.Disposable } {
  const panel = new InsightsPanel(model, vscode.Uri.joinPath(extensionUri, 'media'));
  const command = vscode.commands.registerCommand(INSIGHTS_COMMAND, (node?: unknown) =>
    panel.show(invocationIdOf(node)),
  );
  return { panel, disposable: vscode.Disposable.from(command, panel) };
}
