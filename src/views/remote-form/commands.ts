import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  applyPlan,
  planRemoteDisable,
  renderPlanDiff,
  changedFiles,
  type Tool,
} from '../../config';
import { secretStorageKey, toolsIn } from '../../presentation/remote-form';
import { errorMessage } from '../../util/errors';
import { RemoteFormPanel } from './panel';

/** Arguments a test or keybinding may pass to skip the folder picker. */
interface RemoteCommandArgs {
  workspace?: string;
  tool?: Tool;
}

function asArgs(value: unknown): RemoteCommandArgs {
  if (typeof value !== 'object' || value === null) return {};
  const { workspace, tool } = value as Record<string, unknown>;
  return {
    workspace: typeof workspace === 'string' ? workspace : undefined,
    tool: tool === 'bazel' || tool === 'pants' || tool === 'buck2' ? tool : undefined,
  };
}

/** The open folders that are a Bazel, Pants or Buck2 workspace, with their tools. */
function candidates(): { dir: string; tools: Tool[] }[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .map((f) => ({ dir: f.uri.fsPath, tools: toolsIn(f.uri.fsPath) }))
    .filter((c) => c.tools.length > 0);
}

async function pickWorkspace(
  args: RemoteCommandArgs,
): Promise<{ dir: string; tools: Tool[] } | undefined> {
  if (args.workspace !== undefined) {
    const tools = args.tool ? [args.tool] : toolsIn(args.workspace);
    if (tools.length === 0) {
      void vscode.window.showErrorMessage(
        `Remote Build Lens: ${args.workspace} is no Bazel, Pants or Buck2 workspace.`,
      );
      return undefined;
    }
    return { dir: path.resolve(args.workspace), tools };
  }
  const found = candidates();
  if (found.length === 0) {
    void vscode.window.showErrorMessage(
      'Remote Build Lens: no Bazel, Pants or Buck2 workspace in the open folders.',
    );
    return undefined;
  }
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((c) => ({ label: path.basename(c.dir), description: c.dir, c })),
    { placeHolder: 'Configure remote execution for which folder?' },
  );
  return picked?.c;
}

async function openForm(
  extension: vscode.ExtensionContext,
  log: (line: string) => void,
  args: RemoteCommandArgs,
): Promise<void> {
  const target = await pickWorkspace(args);
  if (target === undefined) return;
  RemoteFormPanel.show(extension, target.dir, target.tools, log);
}

/**
 * "Disable Remote Execution": removes exactly what the form or `rbl remote set` added (the
 * config layer's marked lines and the secrets it wrote), after a modal that lists the files,
 * and forgets this editor's copy of the secrets.
 */
async function disable(
  extension: vscode.ExtensionContext,
  log: (line: string) => void,
  args: RemoteCommandArgs,
): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Remote Build Lens: this folder is in Restricted Mode; trust it to change its settings.',
    );
    return;
  }
  const target = await pickWorkspace(args);
  if (target === undefined) return;
  const tool =
    target.tools.length === 1
      ? target.tools[0]
      : ((await vscode.window.showQuickPick(target.tools, { placeHolder: 'Which build tool?' })) as
          Tool | undefined);
  if (tool === undefined) return;
  try {
    const plan = planRemoteDisable({ workspace: target.dir, tool, config: null, env: process.env });
    const files = changedFiles(plan).map((c) => c.file.displayPath);
    if (files.length === 0) {
      void vscode.window.showInformationMessage(
        'Remote Build Lens: nothing to remove; no remote settings were added by Remote Build Lens.',
      );
      return;
    }
    const choice = await vscode.window.showWarningMessage(
      `Remove the remote settings Remote Build Lens added to ${files.join(', ')}?`,
      { modal: true, detail: renderPlanDiff(plan) },
      'Disable',
    );
    if (choice !== 'Disable') return;
    const written = applyPlan(plan);
    await extension.secrets.delete(secretStorageKey(tool, target.dir));
    RemoteFormPanel.refresh(target.dir);
    log(`remote form: disabled remote settings in ${written.join(', ')}`);
    void vscode.window.showInformationMessage(
      `Remote Build Lens: remote execution disabled (${written.join(', ')}).`,
    );
  } catch (err) {
    void vscode.window.showErrorMessage(`Remote Build Lens: ${errorMessage(err)}`);
  }
}

/** The remote execution commands: configure/enable open the form, disable removes our lines. */
export function registerRemoteFormCommands(
  extension: vscode.ExtensionContext,
  log: (line: string) => void,
): vscode.Disposable[] {
  const form = (args: unknown) => openForm(extension, log, asArgs(args));
  return [
    vscode.commands.registerCommand('remoteBuildLens.configureRemote', form),
    vscode.commands.registerCommand('remoteBuildLens.enableRemote', form),
    vscode.commands.registerCommand('remoteBuildLens.disableRemote', (args: unknown) =>
      disable(extension, log, asArgs(args)),
    ),
  ];
}
