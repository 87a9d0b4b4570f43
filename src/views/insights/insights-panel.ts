import * as vscode from 'vscode';
import type { BuildModelView } from '../../model/types';
import { Coalescer } from '../../presentation/coalescer';
import { insightsHtml, newNonce } from '../../presentation/insights/html';
import { insightsMessage } from '../../presentation/insights/insights-model';
import { parseWebviewMessage, type HostMessage } from '../../presentation/insights/messages';

export const INSIGHTS_VIEW_TYPE = 'remoteBuildLens.insights';
export const INSIGHTS_COMMAND = 'remoteBuildLens.showInsights';

/** The panel redraws at most about 4 times a second however fast the model changes. */
const UPDATE_INTERVAL_MS = 250;

/**
 * The one "Build Insights" webview panel: the location bar, slowest actions, failures and
 * critical path of one build, and the history chart. It follows the newest build unless the
 * user picked one (from a row's context menu or the chart). All data crosses as `HostMessage`s
 * built by headless code; the page's script renders them with DOM APIs, never as HTML.
 */
export class InsightsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The invocation shown, or null to follow the newest. */
  private selected: string | null = null;
  /** The page's script has said it listens (it reloads when the hidden panel is shown again). */
  private ready = false;
  private readonly updates: Coalescer<string>;
  private readonly modelSubscription: { dispose(): void };
  private panelDisposables: vscode.Disposable[] = [];
  /** How many updates were posted: the redraw rate a test measures. */
  postCount = 0;
  /** The last message posted, for extension-host tests. */
  lastMessage: HostMessage | undefined;

  constructor(
    private readonly model: BuildModelView,
    private readonly mediaRoot: vscode.Uri,
  ) {
    this.updates = new Coalescer(() => this.post(), UPDATE_INTERVAL_MS);
    this.modelSubscription = model.onDidChange(() => {
      if (this.panel !== undefined) this.updates.add(['model']);
    });
  }

  /** Opens or reveals the panel on `invocationId`, or on the newest build when null. */
  show(invocationId: string | null): void {
    this.selected = invocationId;
    if (this.panel === undefined) this.panel = this.create();
    else this.panel.reveal(undefined, false);
    this.updates.add(['show']);
  }

  dispose(): void {
    this.modelSubscription.dispose();
    this.updates.dispose();
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
    this.ready = false;
    webview.html = insightsHtml({
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'insights.js'))
        .toString(),
      styleUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'insights.css'))
        .toString(),
      nonce: newNonce(),
    });
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.updates.dispose();
        this.disposePanelListeners();
      }),
      webview.onDidReceiveMessage((value: unknown) => this.onMessage(value)),
    );
    return panel;
  }

  /** Acts on protocol messages only; anything else from the page is ignored. */
  private onMessage(value: unknown): void {
    const message = parseWebviewMessage(value);
    if (message === null) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        break;
      case 'selectInvocation':
        this.selected = message.invocationId;
        break;
      case 'followLatest':
        this.selected = null;
        break;
    }
    this.updates.add([message.type]);
  }

  private post(): void {
    if (this.panel === undefined || !this.ready) return;
    const message = insightsMessage(this.model, this.selected, Date.now());
    // A selection that no longer exists (history cleared) falls back to following the newest.
    if (message.type === 'update' && message.followingLatest) this.selected = null;
    this.lastMessage = message;
    this.postCount++;
    void this.panel.webview.postMessage(message);
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
