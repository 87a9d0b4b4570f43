import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseReportMessage } from '../../presentation/explain/messages';
import { newNonce } from '../../presentation/webview-html';
import { renderReportHtml } from '../../presentation/explain/report-html';
import type { ReportView } from '../../presentation/explain/report-model';
import { sourceFileOf } from '../../presentation/explain/source-file';

export const REPORT_VIEW_TYPE = 'remoteBuildLens.explainReport';

/**
 * The one "Why did this miss?" webview panel, reused for every report (a second question
 * replaces the first instead of piling up tabs). A webview rather than a virtual document:
 * it shows the causes as sections with coloured argument/env diffs and clickable source links
 * beside the code, and nothing in it can be edited or saved by mistake. The page has no access
 * to local resources and runs only its nonce'd script.
 */
export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private linked = new Set<string>();
  private workspace = '';
  private readonly disposables: vscode.Disposable[] = [];

  /** The report last shown, for extension-host tests. */
  lastView: ReportView | undefined;

  show(view: ReportView, workspace: string): void {
    this.linked = new Set(view.openable);
    this.workspace = workspace;
    this.lastView = view;
    const panel = this.panel ?? this.create();
    panel.title = 'Why did this miss?';
    panel.webview.html = renderReportHtml(view, newNonce());
    panel.reveal(undefined, false);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private create(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      'Why did this miss?',
      vscode.ViewColumn.Active,
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [] },
    );
    this.panel = panel;
    this.disposables.push(
      panel.onDidDispose(() => (this.panel = undefined)),
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
    );
    return panel;
  }

  /** Opens a linked source file; anything the report did not link is ignored. */
  private onMessage(message: unknown): void {
    const open = parseReportMessage(message, this.linked);
    if (open === null) return;
    const file = sourceFileOf(this.workspace, open.path, (f) => fs.existsSync(f));
    if (file === null) return;
    void vscode.window.showTextDocument(vscode.Uri.file(file), {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
    });
  }
}
