import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OldSide } from '../../explain/for-editor';
import type { Explanation } from '../../explain';
import type { Invocation } from '../../model/types';
import { baseName } from '../../presentation/format';
import { MissHints } from '../../presentation/explain/miss-hints';
import { mdText } from '../../presentation/markdown';
import { buildReport, type ReportScope } from '../../presentation/explain/report-model';
import { sourceFileOf } from '../../presentation/explain/source-file';
import { invocationResult } from '../../presentation/rows';
import { HistoryStore } from '../../store/history-store';
import { errorMessage } from '../../util/errors';
import type { BuildNode } from '../builds-tree';
import type { LensContext } from '../lens-context';
import { ReportPanel } from './report-panel';

/**
 * The explanation engine and its log readers, loaded by the first explanation rather than at
 * activation (evaluating them, generated protobuf code included, was most of activation).
 */
let engineModule: Promise<typeof import('../../explain/for-editor')> | undefined;
function explainEngine(): Promise<typeof import('../../explain/for-editor')> {
  return (engineModule ??= import('../../explain/for-editor'));
}

async function explainStoredInvocation(
  ...args: Parameters<(typeof import('../../explain/for-editor'))['explainStoredInvocation']>
): Promise<Explanation> {
  return (await explainEngine()).explainStoredInvocation(...args);
}

export const EXPLAIN_COMMAND = 'remoteBuildLens.explainCacheMiss';
export const COMPARE_COMMAND = 'remoteBuildLens.compareBuilds';

/** The most actions a build may have for its tooltip hints to be computed unasked. */
const BACKGROUND_LIMIT = 20_000;

/**
 * "Why did this miss?" in the editor: the command on action, target and invocation rows, the
 * "Compare Two Builds…" variant, the report panel and the root-cause hints in the tree's
 * tooltips. Explanations run behind a cancellable progress notification; the engine reads the
 * logs with async streams, so the extension host keeps serving the UI meanwhile.
 */
export class ExplainFeature implements vscode.Disposable {
  readonly panel = new ReportPanel();
  readonly hints: MissHints;
  private readonly disposables: vscode.Disposable[] = [this.panel];

  constructor(
    private readonly ctx: LensContext,
    private readonly roots: () => string[],
  ) {
    this.hints = new MissHints({
      compute: (id) => this.computeQuietly(id),
      busy: () => ctx.session.isBuilding,
      onReady: () => ctx.tree.refreshAll(),
    });
    ctx.tree.setMissHint((invocationId, action) => {
      const hint = this.hints.hint(invocationId, action);
      return hint === null ? null : mdText(hint);
    });
    this.disposables.push(
      vscode.commands.registerCommand(EXPLAIN_COMMAND, (node?: BuildNode) => this.explain(node)),
      vscode.commands.registerCommand(COMPARE_COMMAND, (from?: unknown) =>
        this.compare(asCompareFrom(from)),
      ),
    );
  }

  /** On a row: that action, that target's missed actions, or that build against its baseline. */
  async explain(node?: BuildNode): Promise<void> {
    // A workspace section row names no build: ask, as from the palette.
    const fromRow = node !== undefined && 'invocationId' in node ? node.invocationId : undefined;
    const invocationId = fromRow ?? (await this.pickInvocation('Explain which build?'));
    if (invocationId === undefined) return;
    const found = this.storeFor(invocationId);
    if (found === null) return;
    const invocation = this.ctx.model.invocation(invocationId);
    let scope: ReportScope = { kind: 'build' };
    let subject = invocation ? describe(invocation) : `build ${invocationId}`;
    if (node?.kind === 'target') {
      const target = this.ctx.model.targets(invocationId).find((t) => t.id === node.targetId);
      if (target === undefined) return;
      const outputs = this.ctx.model
        .actions(invocationId)
        .filter((a) => a.label === target.label)
        .flatMap((a) => a.outputs);
      scope = { kind: 'target', label: target.label, outputs };
      subject = target.label;
    } else if (node?.kind === 'action') {
      const action = this.ctx.model.action(invocationId, node.actionId);
      if (action === undefined) return;
      scope = { kind: 'action', outputs: action.outputs };
      const output = action.primaryOutput ?? action.outputs[0];
      subject = `${action.mnemonic} ${output === undefined ? '' : baseName(output)}`.trim();
    }
    const explanation =
      this.hints.explanation(invocationId) ??
      (await this.withProgress((signal, report) =>
        explainStoredInvocation(
          found.store,
          invocationId,
          { kind: 'baseline' },
          {
            signal,
            onStage: report,
          },
        ),
      ));
    if (explanation === undefined) return;
    if (!this.hints.has(invocationId)) this.hints.put(invocationId, explanation);
    this.show(found.workspace, {
      explanation,
      scope,
      subject,
      comparedWith: 'the baseline before this build (the last recorded run of every action)',
    });
  }

  /** Any two recorded builds: NEW against the baseline as it stood after OLD (as `rbl explain`). */
  async compare(from?: BuildNode | CompareArgs): Promise<void> {
    const args: CompareArgs =
      from === undefined || 'root' in from
        ? {}
        : 'invocationId' in from
          ? { newer: from.invocationId }
          : from;
    const newId = args.newer ?? (await this.pickInvocation('Explain which build?'));
    if (newId === undefined) return;
    const found = this.storeFor(newId);
    if (found === null) return;
    // Only builds recorded before NEW in the same store: the baseline after a later build
    // would already hold NEW's own spawns.
    const store = found.store.list().map((inv) => inv.id);
    const earlier = new Set(store.slice(0, store.indexOf(newId)));
    const oldId =
      args.older ??
      (await this.pickInvocation('Compare it with which earlier build?', (id) => earlier.has(id)));
    if (oldId === undefined) return;
    const old: OldSide = { kind: 'invocation', id: oldId };
    const explanation = await this.withProgress((signal, report) =>
      explainStoredInvocation(found.store, newId, old, { signal, onStage: report }),
    );
    if (explanation === undefined) return;
    const newInv = this.ctx.model.invocation(newId);
    const oldInv = this.ctx.model.invocation(oldId);
    this.show(found.workspace, {
      explanation,
      scope: { kind: 'build' },
      subject: newInv ? describe(newInv) : `build ${newId}`,
      comparedWith:
        `${oldInv ? describe(oldInv) : oldId}${oldInv?.startedAt ? ` of ${new Date(oldInv.startedAt).toLocaleString()}` : ''} ` +
        '(the last recorded run of every action up to that build)',
    });
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }

  private show(
    workspace: string,
    input: Omit<Parameters<typeof buildReport>[0], 'isOpenable'>,
  ): void {
    const isOpenable = (p: string): boolean =>
      sourceFileOf(workspace, p, (f) => fs.existsSync(f)) !== null;
    this.panel.show(buildReport({ ...input, isOpenable }), workspace);
  }

  /** Runs a long explanation behind a cancellable notification; errors become one message. */
  private async withProgress(
    run: (signal: AbortSignal, report: (stage: string) => void) => Promise<Explanation>,
  ): Promise<Explanation | undefined> {
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Why did this miss?',
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await run(abort.signal, (stage) => progress.report({ message: stage }));
        } catch (err) {
          const { Cancelled } = await explainEngine();
          if (!(err instanceof Cancelled)) {
            void vscode.window.showErrorMessage(
              `Remote Build Lens: cannot explain this build: ${errorMessage(err)}`,
            );
          }
          return undefined;
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /**
   * For the tooltip hints: against the baseline, null when it cannot be explained. Builds past
   * BACKGROUND_LIMIT actions are left to the command: the engine's attribution stage runs in
   * one go on the extension host (its reads are async), which the user should ask for.
   */
  private async computeQuietly(invocationId: string): Promise<Explanation | null> {
    if (this.ctx.model.actions(invocationId).length > BACKGROUND_LIMIT) return null;
    const found = this.storeFor(invocationId, false);
    if (found === null || found.store.execLogPath(invocationId) === null) return null;
    return explainStoredInvocation(found.store, invocationId, { kind: 'baseline' });
  }

  /**
   * The history store holding an invocation: its own workspace's, else one of the open
   * workspaces' (a stored invocation does not remember its folder).
   */
  private storeFor(
    invocationId: string,
    tell = true,
  ): { store: HistoryStore; workspace: string } | null {
    const own = this.ctx.model.invocation(invocationId)?.workspaceDirectory;
    for (const dir of [...(own ? [own] : []), ...this.roots()]) {
      const store = HistoryStore.forWorkspace(dir);
      if (store.summary(invocationId) !== null) return { store, workspace: path.resolve(dir) };
    }
    if (tell) {
      void vscode.window.showWarningMessage(
        'Remote Build Lens: this build is not in a history store, so there is nothing to compare it with.',
      );
    }
    return null;
  }

  private async pickInvocation(
    title: string,
    allowed: (id: string) => boolean = () => true,
  ): Promise<string | undefined> {
    const items = this.ctx.model
      .invocations()
      .filter((inv) => inv.state !== 'running' && allowed(inv.id))
      .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0))
      .map((inv) => ({
        label: describe(inv),
        description: [
          invocationResult(inv),
          inv.startedAt === null ? null : new Date(inv.startedAt).toLocaleString(),
        ]
          .filter((p) => p !== null)
          .join(' · '),
        detail: inv.id,
        id: inv.id,
      }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Remote Build Lens: no build to pick.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true });
    return picked?.id;
  }
}

/** Invocation ids a caller (a test, a keybinding) may pass to skip the pickers. */
export interface CompareArgs {
  newer?: string;
  older?: string;
}

/** A tree row (its invocation is NEW) or `{newer, older}`; anything else means "ask". */
function asCompareFrom(value: unknown): BuildNode | CompareArgs | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.invocationId === 'string' && typeof v.kind === 'string') return value as BuildNode;
  return {
    newer: typeof v.newer === 'string' ? v.newer : undefined,
    older: typeof v.older === 'string' ? v.older : undefined,
  };
}

function describe(inv: Invocation): string {
  return [inv.command ?? 'bazel', ...inv.patterns].join(' ');
}
