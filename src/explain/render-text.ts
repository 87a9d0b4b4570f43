import type { ActionReport } from './action-lookup';
import type { ActionDiff, ExplainSummary, RootCause } from './types';

const SHOWN_EXAMPLES = 3;
const SHOWN_ARGS = 12;

/** The readable report `rbl explain` prints without `--json`. */
export function renderSummary(summary: ExplainSummary): string {
  const a = summary.actions;
  const lines = [
    `Compared ${a.old} old with ${a.new} new actions: ${a.changed} changed, ${a.added} added, ` +
      `${a.removed} removed, ${a.notRun} not run, ${a.unchanged} unchanged.`,
  ];
  if (summary.rootCauses.length === 0) {
    lines.push(
      a.changed + a.added + a.removed === 0
        ? 'No cache misses to explain: nothing that ran differs from the old build.'
        : 'No root cause found.',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('', `Root causes (${summary.rootCauses.length}):`);
  summary.rootCauses.forEach((cause, i) => {
    const n = cause.affectedActions;
    lines.push(
      `${String(i + 1).padStart(3)}. ${describeCause(cause)}  [${n} action${n === 1 ? '' : 's'}]`,
    );
    lines.push(...causeDetail(cause).map((l) => `       ${l}`));
    for (const example of cause.examples.slice(0, SHOWN_EXAMPLES))
      lines.push(`       · ${example}`);
    if (n > SHOWN_EXAMPLES) lines.push(`       · … and ${n - SHOWN_EXAMPLES} more`);
  });
  return `${lines.join('\n')}\n`;
}

/** One line naming a cause: what changed, in the words of the CONTRACT's kinds. */
export function describeCause(cause: RootCause): string {
  switch (cause.kind) {
    case 'input':
      return `input changed: ${cause.path}`;
    case 'input-added':
      return `input added: ${cause.path}`;
    case 'input-removed':
      return `input removed: ${cause.path}`;
    case 'tool':
      return `tool changed: ${cause.path}`;
    case 'non-hermetic':
      return `non-hermetic action (same inputs, different outputs): ${cause.path}`;
    case 'env':
      return `environment ${cause.name}: ${quote(cause.old)} → ${quote(cause.new)}`;
    case 'platform':
      return `platform property ${cause.name}: ${quote(cause.old)} → ${quote(cause.new)}`;
    case 'args':
      return 'command line changed';
    case 'configuration':
      return `configuration changed: ${cause.old} → ${cause.new}`;
    case 'action-added':
      return `new action: ${cause.mnemonic} ${cause.label ?? ''} ${cause.path}`.replace(/ +/g, ' ');
    case 'action-removed':
      return `action removed: ${cause.mnemonic} ${cause.label ?? ''} ${cause.path}`.replace(
        / +/g,
        ' ',
      );
    case 'unknown':
      return 'changed for a reason the logs do not show';
  }
}

function causeDetail(cause: RootCause): string[] {
  if (cause.kind === 'args') return argLines(cause);
  if (cause.kind === 'configuration') return argLines(cause.args);
  return [];
}

function argLines(args: { old: string[]; new: string[] }): string[] {
  const lines = [
    ...args.old.slice(0, SHOWN_ARGS).map((a) => `- ${a}`),
    ...args.new.slice(0, SHOWN_ARGS).map((a) => `+ ${a}`),
  ];
  const hidden =
    Math.max(0, args.old.length - SHOWN_ARGS) + Math.max(0, args.new.length - SHOWN_ARGS);
  if (hidden > 0) lines.push(`(${hidden} more changed arguments)`);
  return lines;
}

function quote(value: string | null): string {
  return value === null ? '(unset)' : JSON.stringify(value);
}

/** The `--action` part of the report: one action, its causes, chain and field-level diff. */
export function renderAction(report: ActionReport): string {
  const lines = [
    `Action ${report.primaryOutput} (${report.mnemonic}${report.label ? ` ${report.label}` : ''}): ${report.status}`,
  ];
  lines.push('Root causes:');
  for (const cause of report.rootCauses) lines.push(`  - ${describeCause(cause)}`);
  if (report.chain.length > 1) {
    lines.push('Chain (where the change began first):');
    report.chain.forEach((step, i) => lines.push(`  ${'  '.repeat(i)}→ ${step}`));
  }
  if (report.diff) lines.push('Differences:', ...diffLines(report.diff).map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

function diffLines(diff: ActionDiff): string[] {
  const lines: string[] = [];
  if (diff.configuration) {
    lines.push(`configuration: ${diff.configuration.old} → ${diff.configuration.new}`);
  }
  if (diff.args) lines.push('arguments:', ...argLines(diff.args).map((l) => `  ${l}`));
  for (const e of diff.env) lines.push(`env ${e.name}: ${quote(e.old)} → ${quote(e.new)}`);
  for (const p of diff.platform)
    lines.push(`platform ${p.name}: ${quote(p.old)} → ${quote(p.new)}`);
  for (const c of diff.inputsChanged) {
    lines.push(`${c.isTool ? 'tool' : 'input'} changed: ${c.path}`);
  }
  for (const p of diff.inputsAdded) lines.push(`input added: ${p}`);
  for (const p of diff.inputsRemoved) lines.push(`input removed: ${p}`);
  for (const p of diff.outputsChanged) lines.push(`output differs: ${p}`);
  if (diff.exitCode) lines.push(`exit code: ${diff.exitCode.old} → ${diff.exitCode.new}`);
  return lines;
}
