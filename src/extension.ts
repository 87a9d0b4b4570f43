import * as vscode from 'vscode';
import { registerCommands, workspaceRoots } from './views/commands';
import { createEngine } from './views/engine-adapter';
import { LensContext } from './views/lens-context';
import { registerRemoteFormCommands } from './views/remote-form/commands';
import { ExplainFeature } from './views/explain/explain-commands';
import { RESTRICTED_DESCRIPTION, whenTrusted } from './views/workspace-trust';
import { registerInsights } from './views/insights/insights-panel';

/** What activate() returns: the context, so extension-host tests can read the tree's rows. */
export interface RemoteBuildLensApi {
  context: LensContext;
  /** Milliseconds activate() took (reported by the tests: activation must stay cheap). */
  activationMs: number;
}

/**
 * Composition root of the editor layer: builds the one context object and registers the
 * commands. No work happens here beyond registering; Bazel starts only when a command asks.
 */
export function activate(extensionContext: vscode.ExtensionContext): RemoteBuildLensApi {
  const started = performance.now();
  const context = new LensContext(createEngine(workspaceRoots), workspaceRoots);
  extensionContext.subscriptions.push(context, ...registerCommands(context));
  extensionContext.subscriptions.push(
    ...registerRemoteFormCommands(extensionContext, (line) => context.output.note(line)),
  );
  extensionContext.subscriptions.push(new ExplainFeature(context, workspaceRoots));
  // Restricted Mode: nothing runs (the commands refuse); the view says so until trusted: its
  // welcome text when empty, and its title's description also when it lists stored builds (a
  // tree message would hide the welcome text with its Trust link).
  if (!vscode.workspace.isTrusted) context.treeView.description = RESTRICTED_DESCRIPTION;
  extensionContext.subscriptions.push(
    whenTrusted(() => {
      context.treeView.description = undefined;
      context.tree.refreshAll();
    }),
  );
  extensionContext.subscriptions.push(
    registerInsights(context.model, extensionContext.extensionUri).disposable,
  );
  return { context, activationMs: performance.now() - started };
}

export function deactivate(): void {}
