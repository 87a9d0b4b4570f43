import * as vscode from 'vscode';

/** Composition root of the editor layer; the views land with the editor-panel issue. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('remoteBuildLens.showVersion', () =>
      vscode.window.showInformationMessage('Remote Build Lens 0.1.0'),
    ),
  );
}

export function deactivate(): void {}
