import * as vscode from 'vscode';
import type { Tool } from '../../config';
import {
  formHtml,
  parseStoredHeaders,
  RemoteFormController,
  secretStorageKey,
  type HostMessage,
} from '../../presentation/remote-form';
import { newNonce } from '../../presentation/webview-html';

export const FORM_VIEW_TYPE = 'remoteBuildLens.remoteForm';

/**
 * The "Configure Remote Execution" webview: one panel per workspace folder, revealed again when
 * opened twice. The page is static HTML with a nonce; values go back and forth by message and
 * the headless controller does the work (src/presentation/remote-form/).
 */
export class RemoteFormPanel implements vscode.Disposable {
  private static readonly open = new Map<string, RemoteFormPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly controller: RemoteFormController;

  static show(
    extension: vscode.ExtensionContext,
    workspace: string,
    tools: Tool[],
    log: (line: string) => void,
  ): RemoteFormPanel {
    const existing = RemoteFormPanel.open.get(workspace);
    if (existing !== undefined) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      FORM_VIEW_TYPE,
      'Configure Remote Execution',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        // Only the extension's media folder: no workspace files, nothing remote.
        localResourceRoots: [vscode.Uri.joinPath(extension.extensionUri, 'media')],
        retainContextWhenHidden: true,
      },
    );
    const created = new RemoteFormPanel(panel, extension, workspace, tools, log);
    RemoteFormPanel.open.set(workspace, created);
    return created;
  }

  /** Re-reads the settings into an open form (after Disable changed the files under it). */
  static refresh(workspace: string): void {
    void RemoteFormPanel.open.get(workspace)?.controller.handle({ type: 'ready' });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extension: vscode.ExtensionContext,
    private readonly workspace: string,
    tools: Tool[],
    log: (line: string) => void,
  ) {
    const secrets = extension.secrets;
    this.controller = new RemoteFormController({
      workspace,
      tools,
      isTrusted: () => vscode.workspace.isTrusted,
      // Unreadable SecretStorage counts as nothing stored: the form then says "file only".
      storedHeaders: async (tool) =>
        parseStoredHeaders(
          await Promise.resolve(secrets.get(secretStorageKey(tool, workspace))).catch(
            () => undefined,
          ),
        ),
      storeHeaders: async (tool, headers) =>
        secrets.store(secretStorageKey(tool, workspace), JSON.stringify(headers)),
      post: (message: HostMessage) => void panel.webview.postMessage(message),
      log,
    });
    const media = (file: string) =>
      panel.webview.asWebviewUri(vscode.Uri.joinPath(extension.extensionUri, 'media', file));
    panel.webview.html = formHtml({
      cspSource: panel.webview.cspSource,
      nonce: newNonce(),
      scriptUri: media('remote-form.js').toString(),
      styleUri: media('remote-form.css').toString(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.controller.handle(m)),
      // Trust granted while the form is open: re-send the state so Test and Apply unlock.
      vscode.workspace.onDidGrantWorkspaceTrust(
        () => void this.controller.handle({ type: 'ready' }),
      ),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    RemoteFormPanel.open.delete(this.workspace);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
