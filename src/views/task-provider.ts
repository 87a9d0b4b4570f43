import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildSession } from './build-session';
import type { Settings } from './settings';

/** The task type of tasks.json entries: `{ "type": "remoteBuildLens", "targets": ["//..."] }`. */
export const TASK_TYPE = 'remoteBuildLens';

interface LensTaskDefinition extends vscode.TaskDefinition {
  command?: 'build' | 'test';
  targets: string[];
}

/**
 * Builds and tests from tasks.json (and Terminal > Run Task): each task runs through the same
 * session as the commands, so it shows in the Builds tree and the status bar, and its console
 * goes to the task's terminal.
 */
export class BuildTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly session: BuildSession,
    private readonly settings: Settings,
    private readonly roots: () => string[],
  ) {}

  provideTasks(): vscode.Task[] {
    return this.roots().flatMap((root) => [
      this.task({ type: TASK_TYPE, command: 'build', targets: ['//...'] }, root),
      this.task({ type: TASK_TYPE, command: 'test', targets: ['//...'] }, root),
    ]);
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as Partial<LensTaskDefinition>;
    if (!Array.isArray(definition.targets) || definition.targets.length === 0) return undefined;
    const folder =
      typeof task.scope === 'object' ? task.scope.uri.fsPath : (this.roots()[0] ?? undefined);
    if (folder === undefined) return undefined;
    return this.task(task.definition as LensTaskDefinition, folder);
  }

  private task(definition: LensTaskDefinition, workspace: string): vscode.Task {
    const command = definition.command ?? 'build';
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(workspace));
    const task = new vscode.Task(
      definition,
      folder ?? vscode.TaskScope.Workspace,
      `${command} ${definition.targets.join(' ')}`,
      'Remote Build Lens',
      new vscode.CustomExecution(async () => this.terminal(command, definition.targets, workspace)),
    );
    task.group = command === 'test' ? vscode.TaskGroup.Test : vscode.TaskGroup.Build;
    task.detail = `bazel ${command} in ${path.basename(workspace)}, shown in the Builds view`;
    return task;
  }

  private terminal(command: string, targets: string[], workspace: string): vscode.Pseudoterminal {
    const write = new vscode.EventEmitter<string>();
    const close = new vscode.EventEmitter<number>();
    return {
      onDidWrite: write.event,
      onDidClose: close.event,
      open: () => {
        const settings = this.settings.snapshot(vscode.Uri.file(workspace));
        void this.session
          .run(
            { workspace, command, args: [...settings.extraFlags, ...targets], settings },
            // A terminal wants CRLF line ends.
            (chunk) => write.fire(chunk.replace(/\r?\n/g, '\r\n')),
          )
          .then((exitCode) => close.fire(exitCode ?? 1));
      },
      close: () => this.session.cancel(),
    };
  }
}
