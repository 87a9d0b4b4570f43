import * as vscode from 'vscode';

/**
 * Restricted Mode (Workspace Trust): running Bazel in a folder runs that folder's code
 * (repository rules, rc files, a workspace-level Bazel path), so in an untrusted folder the
 * extension starts no Bazel, no query and no sink. The Builds view says so through its welcome
 * content (package.json: `isWorkspaceTrustEnabled && !isWorkspaceTrusted`; the workbench binds
 * both keys only once its views are restored, and `!isWorkspaceTrusted` alone showed Restricted
 * Mode for a moment in a trusted folder whose Builds view was restored at start-up). This module
 * is the check the commands, the task terminal and the target picker ask before they would
 * start a process.
 */
export const RESTRICTED_MESSAGE =
  'Remote Build Lens: this folder is in Restricted Mode, so no Bazel runs here. ' +
  'Trust the folder to build.';

/** The Builds view's description (beside its title) in Restricted Mode. */
export const RESTRICTED_DESCRIPTION = 'Restricted Mode: nothing runs';

/** True when Bazel may run here; otherwise tells the user why not (with a way to trust). */
export function mayRunBazel(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(RESTRICTED_MESSAGE, 'Manage Workspace Trust')
    .then((choice) => {
      if (choice !== undefined) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/** Runs `onTrusted` once the user trusts the folder (at once when it is already trusted). */
export function whenTrusted(onTrusted: () => void): vscode.Disposable {
  if (vscode.workspace.isTrusted) {
    onTrusted();
    return new vscode.Disposable(() => undefined);
  }
  return vscode.workspace.onDidGrantWorkspaceTrust(onTrusted);
}
