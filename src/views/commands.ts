import * as path from 'node:path';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { packageAndName, ruleLine } from '../presentation/build-file';
import { nearestWorkspaceRoot } from '../presentation/workspace-root';
import type { ActionFilter, GroupBy } from '../presentation/grouping';
import type { LensContext } from './lens-context';
import type { BuildNode } from './builds-tree';
import type { TargetKind } from './target-catalogue';
import { mayRunBazel } from './workspace-trust';

/** Arguments a caller (a test, a task, a keybinding) may pass to skip the pickers. */
export interface BuildCommandArgs {
  workspace?: string;
  targets?: string[];
}

type Handler = (...args: unknown[]) => unknown;

/**
 * The command table: every command id of package.json's `contributes.commands`, each a small
 * handler over the one context object. Registered once; the handlers read state when they run.
 */
export function registerCommands(ctx: LensContext): vscode.Disposable[] {
  const table: Record<string, Handler> = {
    'remoteBuildLens.build': (args) => buildOrTest(ctx, 'build', asBuildArgs(args)),
    'remoteBuildLens.test': (args) => buildOrTest(ctx, 'test', asBuildArgs(args)),
    'remoteBuildLens.rebuildLast': () => rebuildLast(ctx),
    'remoteBuildLens.cancelBuild': () => ctx.session.cancel(),
    'remoteBuildLens.showOutput': () => ctx.output.show(),
    'remoteBuildLens.clearHistory': () => ctx.clearHistory(),
    'remoteBuildLens.showAllActions': () => setFilter(ctx, 'all'),
    'remoteBuildLens.showOnlyMisses': () => setFilter(ctx, 'misses'),
    'remoteBuildLens.showOnlyFailures': () => setFilter(ctx, 'failures'),
    'remoteBuildLens.groupByLocation': () => setGroupBy(ctx, 'location'),
    'remoteBuildLens.groupByTarget': () => setGroupBy(ctx, 'target'),
    'remoteBuildLens.revealBuildFile': (node) => revealBuildFile(ctx, node as BuildNode),
    'remoteBuildLens.openActionOutput': (node) => openActionOutput(ctx, node as BuildNode),
    // remoteBuildLens.explainCacheMiss and compareBuilds: src/views/explain/ registers them.
    // remoteBuildLens.configureRemote, enableRemote, disableRemote: src/views/remote-form/.
  };
  return [
    ...Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
    // Action output opens read-only (not an untitled file that asks to be saved on close).
    vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, {
      provideTextDocumentContent: (uri) => actionOutputText(ctx, uri),
    }),
  ];
}

function asBuildArgs(value: unknown): BuildCommandArgs {
  if (typeof value !== 'object' || value === null) return {};
  const { workspace, targets } = value as Record<string, unknown>;
  return {
    workspace: typeof workspace === 'string' ? workspace : undefined,
    targets:
      Array.isArray(targets) && targets.every((t) => typeof t === 'string') ? targets : undefined,
  };
}

async function buildOrTest(
  ctx: LensContext,
  command: TargetKind,
  args: BuildCommandArgs,
): Promise<number | undefined> {
  // Before the pickers: the target picker would start a query, which runs Bazel too.
  if (!mayRunBazel()) return undefined;
  const workspace = args.workspace ?? (await pickWorkspace());
  if (workspace === undefined) return undefined;
  const targets = args.targets ?? (await pickTargets(ctx, workspace, command));
  if (targets === undefined || targets.length === 0) return undefined;
  const settings = ctx.settings.snapshot(vscode.Uri.file(workspace));
  return ctx.session.run({
    workspace,
    command,
    args: [...settings.extraFlags, ...targets],
    settings,
  });
}

async function rebuildLast(ctx: LensContext): Promise<number | undefined> {
  const last = ctx.session.lastRequest;
  if (last === undefined) {
    void vscode.window.showInformationMessage('Remote Build Lens: no build to repeat yet.');
    return undefined;
  }
  return ctx.session.run({
    ...last,
    settings: ctx.settings.snapshot(vscode.Uri.file(last.workspace)),
  });
}

/** Bazel workspaces of the open folders; the active editor's nearest root comes first. */
export function workspaceRoots(): string[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const roots: string[] = [];
  const active = vscode.window.activeTextEditor?.document.uri;
  const activeFolder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (active !== undefined && activeFolder !== undefined && active.scheme === 'file') {
    const root = nearestWorkspaceRoot(path.dirname(active.fsPath), activeFolder.uri.fsPath);
    if (root !== null) roots.push(root);
  }
  for (const folder of folders) {
    const root = nearestWorkspaceRoot(folder.uri.fsPath, folder.uri.fsPath);
    if (root !== null && !roots.includes(root)) roots.push(root);
  }
  return roots;
}

async function pickWorkspace(): Promise<string | undefined> {
  const roots = workspaceRoots();
  if (roots.length === 0) {
    void vscode.window.showErrorMessage(
      'Remote Build Lens: no Bazel workspace (WORKSPACE or MODULE.bazel) in the open folders.',
    );
    return undefined;
  }
  if (roots.length === 1) return roots[0];
  return vscode.window.showQuickPick(roots, { placeHolder: 'Which workspace?' });
}

/** Offers the cached query results and accepts a typed pattern (`//pkg/...`) as well. */
async function pickTargets(
  ctx: LensContext,
  workspace: string,
  kind: TargetKind,
): Promise<string[] | undefined> {
  const pick = vscode.window.createQuickPick();
  pick.title = kind === 'test' ? 'Test which targets?' : 'Build which targets?';
  pick.placeholder = 'Type a label or pattern (e.g. //... or //pkg:target), or pick from the list';
  pick.canSelectMany = false;
  let known = ctx.targets.labels(workspace, kind);
  const items = (typed: string): vscode.QuickPickItem[] => [
    ...(typed.trim() === '' ? [] : [{ label: typed.trim(), description: 'as typed' }]),
    { label: '//...', description: kind === 'test' ? 'every test' : 'everything' },
    ...known.filter((l) => l !== typed.trim()).map((label) => ({ label })),
  ];
  pick.items = items('');
  // The background query may finish while the picker is open: offer its labels at once.
  void ctx.targets.refresh(workspace, kind).then(() => {
    known = ctx.targets.labels(workspace, kind);
    pick.items = items(pick.value);
  });
  return new Promise((resolve) => {
    pick.onDidChangeValue((value) => (pick.items = items(value)));
    pick.onDidAccept(() => {
      resolve(acceptedPatterns(pick.value, pick.selectedItems[0]?.label));
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/**
 * What Enter on the target picker means: the highlighted label when it matches what was typed,
 * else the typed text itself. The selection arrives from the workbench by position in a list
 * the extension may just have replaced as the value changed, so a highlighted row that does not
 * contain the typed text is not trusted over the text.
 */
function acceptedPatterns(value: string, selected: string | undefined): string[] | undefined {
  const typed = value.trim();
  const chosen =
    typed !== '' && (selected === undefined || !selected.includes(typed)) ? typed : selected;
  return chosen === undefined || chosen === '' ? undefined : chosen.split(/\s+/);
}

function setFilter(ctx: LensContext, filter: ActionFilter): void {
  ctx.tree.setFilter(filter);
  void vscode.commands.executeCommand('setContext', 'remoteBuildLens.filter', filter);
}

function setGroupBy(ctx: LensContext, groupBy: GroupBy): void {
  ctx.tree.setGroupBy(groupBy);
  void vscode.commands.executeCommand('setContext', 'remoteBuildLens.groupBy', groupBy);
}

async function revealBuildFile(ctx: LensContext, node: BuildNode | undefined): Promise<void> {
  if (node?.kind !== 'target') return;
  const invocation = ctx.model.invocation(node.invocationId);
  const target = ctx.model.targets(node.invocationId).find((t) => t.id === node.targetId);
  const where = target === undefined ? null : packageAndName(target.label);
  if (!invocation?.workspaceDirectory || where === null) return;
  const dir = path.join(invocation.workspaceDirectory, where.pkg);
  const file = ['BUILD.bazel', 'BUILD'].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (file === undefined) {
    void vscode.window.showWarningMessage(`Remote Build Lens: no BUILD file in ${dir}`);
    return;
  }
  // The cursor goes to the rule that declares the target, as Bazel's own errors point there.
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const at = new vscode.Position(ruleLine(document.getText(), where.name) ?? 0, 0);
  const editor = await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(at, at),
  });
  // Set again: reopening a file restores its last cursor (e.g. a Problems entry's) over the
  // `selection` option.
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(
    new vscode.Range(at, at),
    vscode.TextEditorRevealType.InCenterIfOutsideViewport,
  );
}

/** The URI scheme of read-only action output documents. */
const OUTPUT_SCHEME = 'remote-build-lens-output';

/** Shows the stdout/stderr BEP carried for an action (Bazel 4.2.3 deletes the files). */
async function openActionOutput(ctx: LensContext, node: BuildNode | undefined): Promise<void> {
  if (node?.kind !== 'action') return;
  const action = ctx.model.action(node.invocationId, node.actionId);
  if (action === undefined) return;
  const name = (action.primaryOutput ?? action.mnemonic).split('/').pop() ?? action.mnemonic;
  const uri = vscode.Uri.from({
    scheme: OUTPUT_SCHEME,
    // The .log name gives the document the Log language (and a readable tab title).
    path: `/${name}.log`,
    query: new URLSearchParams({ invocation: node.invocationId, action: node.actionId }).toString(),
  });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true });
}

function actionOutputText(ctx: LensContext, uri: vscode.Uri): string {
  const query = new URLSearchParams(uri.query);
  const action = ctx.model.action(query.get('invocation') ?? '', query.get('action') ?? '');
  if (action === undefined) return 'This action is no longer in the Builds view.';
  const parts = [
    `# ${action.mnemonic} ${action.label ?? ''} (${action.primaryOutput ?? ''})`,
    action.stdout === '' ? '' : `## stdout\n${action.stdout}`,
    action.stderr === '' ? '' : `## stderr\n${action.stderr}`,
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
