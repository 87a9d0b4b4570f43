// From the engine's light modules, not its index (see miss-hints.ts).
import { findAction } from '../../explain/action-lookup';
import { ExplanationIndex } from '../../explain/explanation-index';
import { redactActionReport, redactSummary } from '../../explain/redact';
import { describeCause } from '../../explain/render-text';
import type {
  ActionDiff,
  ActionExplanation,
  Explanation,
  RootCause,
  RootCauseKind,
} from '../../explain/types';

/**
 * The "Why did this miss?" report as plain data: what the webview shows, built without VS Code
 * so every line is unit-tested in plain Node. The HTML renderer only lays it out.
 */

/** Which rows the report is about: a whole build, one target's actions, or one action. */
export type ReportScope =
  | { kind: 'build' }
  | {
      kind: 'target';
      label: string;
      /**
       * Outputs of the target's actions as the build's events named them: they find its
       * actions in a log without labels (Bazel 4.x binary logs).
       */
      outputs?: readonly string[];
    }
  | { kind: 'action'; outputs: readonly string[] };

/** A run of text; with `open`, a link to that workspace-relative source file. */
export interface TextPart {
  text: string;
  open?: string;
}

export interface DiffLine {
  sign: '-' | '+';
  text: string;
}

export interface CauseView {
  number: number;
  kind: RootCauseKind;
  headline: TextPart[];
  /** Actions this cause explains within the report's scope. */
  affected: number;
  examples: string[];
  /** Examples not shown. */
  more: number;
  /** Changed lines of an argument, env or platform difference (none for file causes). */
  diff: DiffLine[];
  diffMore: number;
  /** Primary outputs from where the change began to an affected action (shown when > 1 step). */
  chain: string[];
}

export interface ActionDetailView {
  output: string;
  title: string;
  status: string;
  chain: string[];
  /** One line per difference of this action with its old counterpart. */
  facts: TextPart[][];
  args: DiffLine[];
  argsMore: number;
}

export interface ReportView {
  heading: string;
  /** What was compared with what. */
  comparison: string;
  counts: string;
  /** Set when there is nothing to explain, with the reason in words. */
  empty: string | null;
  causes: CauseView[];
  /** Root causes not shown (the biggest come first). */
  causesMore: number;
  action: ActionDetailView | null;
  /** Every path the report links to: the host opens only these. */
  openable: string[];
}

export interface ReportInput {
  explanation: Explanation;
  scope: ReportScope;
  /** What the rows are, e.g. `build //gen:all` or `//gen:step1`. */
  subject: string;
  /** What NEW was compared with, e.g. `the baseline before this build`. */
  comparedWith: string;
  /** True when an exec-root path is a source file in the workspace the user can open. */
  isOpenable: (execPath: string) => boolean;
}

export const SHOWN_EXAMPLES = 5;
export const SHOWN_DIFF_LINES = 40;
export const SHOWN_CAUSES = 50;

export function buildReport(input: ReportInput): ReportView {
  const explanation = redacted(input.explanation);
  const links = new Set<string>();
  const ctx: Ctx = { explanation, input, links, byOutput: null };
  const a = explanation.summary.actions;
  const base = {
    comparison: `Compared with ${input.comparedWith}.`,
    counts:
      `${a.changed} changed, ${a.added} added, ${a.removed} removed, ${a.notRun} not run, ` +
      `${a.unchanged} unchanged (${a.old} actions before, ${a.new} after).`,
  };
  const scope = input.scope;
  if (scope.kind === 'build') {
    const all = explanation.summary.rootCauses;
    const causes = all
      .slice(0, SHOWN_CAUSES)
      .map((cause, i) => causeView(ctx, cause, i + 1, cause.affectedActions, cause.examples));
    return {
      ...base,
      heading: `Why did ${input.subject} miss the cache?`,
      empty:
        causes.length > 0
          ? null
          : a.changed + a.added + a.removed === 0
            ? 'Nothing to explain: no action that ran differs from the old build.'
            : 'No root cause found.',
      causes,
      causesMore: all.length - causes.length,
      action: null,
      openable: [...links],
    };
  }
  if (scope.kind === 'target') {
    const target = targetGroups(explanation, scope.label, scope.outputs ?? []);
    const causes = target.groups.slice(0, SHOWN_CAUSES).map((g, i) =>
      causeView(
        ctx,
        g.cause,
        i + 1,
        g.actions.length,
        g.actions.map((x) => x.primaryOutput),
      ),
    );
    return {
      ...base,
      heading: `Why did the actions of ${scope.label} miss the cache?`,
      empty:
        causes.length > 0
          ? null
          : `None of the actions of ${scope.label} differs from ${input.comparedWith}.`,
      causes,
      causesMore: target.groups.length - causes.length,
      action: null,
      openable: [...links],
    };
  }
  const found = scope.outputs.map((o) => findAction(explanation, o)).find((r) => r !== null);
  if (!found) {
    return {
      ...base,
      heading: `Why did ${input.subject} miss the cache?`,
      empty:
        `This action does not differ from ${input.comparedWith}: it was a cache hit, ` +
        'it ran with the same inputs (e.g. after bazel clean), or it did not run.',
      causes: [],
      causesMore: 0,
      action: null,
      openable: [],
    };
  }
  const report = redactActionReport(found);
  const causes = report.rootCauses.map((cause, i) =>
    causeView(ctx, cause, i + 1, cause.affectedActions, cause.examples, report.chain),
  );
  const action: ActionDetailView = {
    output: report.primaryOutput,
    title: `${report.mnemonic}${report.label ? ` ${report.label}` : ''}`,
    status: report.status,
    chain: report.chain,
    facts: report.diff ? facts(ctx, report.diff) : [],
    ...capped(report.diff?.args ?? null),
  };
  return {
    ...base,
    heading: `Why did ${input.subject} miss the cache?`,
    empty: null,
    causes,
    causesMore: 0,
    action,
    openable: [...links],
  };
}

/**
 * A target's affected actions grouped by root cause (first cause first): those with its label,
 * and those writing one of `outputs` (for logs that carry no labels).
 */
function targetGroups(
  explanation: Explanation,
  label: string,
  outputs: readonly string[],
): { groups: { cause: RootCause; actions: ActionExplanation[] }[] } {
  const byLabel = new ExplanationIndex(explanation).target(label);
  if (outputs.length === 0) return byLabel;
  const wanted = new Set(outputs);
  const actions = explanation.actions.filter(
    (a) => a.label === label || a.outputs.some((o) => wanted.has(o)),
  );
  const groups = new Map<number, ActionExplanation[]>();
  for (const action of actions) {
    for (const i of action.causes) groups.set(i, [...(groups.get(i) ?? []), action]);
  }
  return {
    groups: [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([i, list]) => ({ cause: explanation.summary.rootCauses[i], actions: list })),
  };
}

interface Ctx {
  explanation: Explanation;
  input: ReportInput;
  links: Set<string>;
  /** Affected actions by primary output, built on first use (chains of many causes). */
  byOutput: Map<string, ActionExplanation> | null;
}

function redacted(explanation: Explanation): Explanation {
  // Actions' own diffs are redacted when one is shown (redactActionReport).
  return { ...explanation, summary: redactSummary(explanation.summary) };
}

function causeView(
  ctx: Ctx,
  cause: RootCause,
  number: number,
  affected: number,
  examples: string[],
  knownChain?: string[],
): CauseView {
  const diffLines = causeDiff(cause);
  const last = examples[Math.min(examples.length, SHOWN_EXAMPLES) - 1];
  const chain = knownChain ?? (last === undefined ? [] : chainTo(ctx, last));
  return {
    number,
    kind: cause.kind,
    headline: headline(ctx, cause),
    affected,
    examples: examples.slice(0, SHOWN_EXAMPLES),
    more: Math.max(0, affected - Math.min(examples.length, SHOWN_EXAMPLES)),
    diff: diffLines.slice(0, SHOWN_DIFF_LINES),
    diffMore: Math.max(0, diffLines.length - SHOWN_DIFF_LINES),
    chain: chain.length > 1 ? chain : [],
  };
}

const MAX_CHAIN = 50;

/** Primary outputs from where the change began to `output`: `via` links walked upstream. */
function chainTo(ctx: Ctx, output: string): string[] {
  ctx.byOutput ??= new Map(ctx.explanation.actions.map((a) => [a.primaryOutput, a]));
  const byOutput = ctx.byOutput;
  let current = byOutput.get(output);
  if (current === undefined) return [];
  const chain = [current.primaryOutput];
  const seen = new Set(chain);
  while (current.via.length > 0 && chain.length < MAX_CHAIN) {
    const next = byOutput.get(current.via[0]);
    if (next === undefined || seen.has(next.primaryOutput)) break;
    chain.push(next.primaryOutput);
    seen.add(next.primaryOutput);
    current = next;
  }
  return chain.reverse();
}

/** The cause's one-line description, its file path a link when the user can open it. */
function headline(ctx: Ctx, cause: RootCause): TextPart[] {
  const text = describeCause(cause);
  if (!('path' in cause) || cause.kind.startsWith('action-')) return [{ text }];
  return linked(ctx, text, cause.path);
}

function linked(ctx: Ctx, text: string, path: string): TextPart[] {
  const at = text.lastIndexOf(path);
  if (at < 0 || !ctx.input.isOpenable(path)) return [{ text }];
  ctx.links.add(path);
  const parts: TextPart[] = [];
  if (at > 0) parts.push({ text: text.slice(0, at) });
  parts.push({ text: path, open: path });
  if (at + path.length < text.length) parts.push({ text: text.slice(at + path.length) });
  return parts;
}

function causeDiff(cause: RootCause): DiffLine[] {
  switch (cause.kind) {
    case 'env':
    case 'platform':
      return valueDiff(cause.name, cause.old, cause.new);
    case 'args':
      return argLines(cause);
    case 'configuration':
      return argLines(cause.args);
    default:
      return [];
  }
}

function valueDiff(name: string, old: string | null, now: string | null): DiffLine[] {
  return [
    ...(old === null ? [] : [{ sign: '-' as const, text: `${name}=${old}` }]),
    ...(now === null ? [] : [{ sign: '+' as const, text: `${name}=${now}` }]),
  ];
}

function argLines(args: { old: string[]; new: string[] }): DiffLine[] {
  return [
    ...args.old.map((text) => ({ sign: '-' as const, text })),
    ...args.new.map((text) => ({ sign: '+' as const, text })),
  ];
}

function capped(args: { old: string[]; new: string[] } | null): {
  args: DiffLine[];
  argsMore: number;
} {
  const lines = args ? argLines(args) : [];
  return {
    args: lines.slice(0, SHOWN_DIFF_LINES),
    argsMore: Math.max(0, lines.length - SHOWN_DIFF_LINES),
  };
}

/** The per-field differences of one action, one line each. */
function facts(ctx: Ctx, diff: ActionDiff): TextPart[][] {
  const lines: TextPart[][] = [];
  const show = (v: string | null): string => (v === null ? '(unset)' : v);
  if (diff.configuration) {
    lines.push([{ text: `configuration: ${diff.configuration.old} → ${diff.configuration.new}` }]);
  }
  for (const e of diff.env)
    lines.push([{ text: `env ${e.name}: ${show(e.old)} → ${show(e.new)}` }]);
  for (const p of diff.platform) {
    lines.push([{ text: `platform ${p.name}: ${show(p.old)} → ${show(p.new)}` }]);
  }
  for (const c of diff.inputsChanged) {
    const word = `${c.isTool ? 'tool' : 'input'} changed: `;
    lines.push(linked(ctx, `${word}${c.path}`, c.path));
  }
  for (const p of diff.inputsAdded) lines.push(linked(ctx, `input added: ${p}`, p));
  for (const p of diff.inputsRemoved) lines.push([{ text: `input removed: ${p}` }]);
  for (const p of diff.outputsChanged) lines.push([{ text: `output differs: ${p}` }]);
  if (diff.exitCode) {
    lines.push([{ text: `exit code: ${diff.exitCode.old} → ${diff.exitCode.new}` }]);
  }
  return lines;
}
