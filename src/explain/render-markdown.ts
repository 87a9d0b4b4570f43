import type { ActionReport } from './action-lookup';
import { describeCause } from './render-text';
import type { ActionDiff, ExplainSummary, RootCause } from './types';

/**
 * The explanation as Markdown, for the editor's report (a virtual document or webview): root
 * causes with their examples, argument and env changes as diff blocks, and links that open
 * changed source files. `linkFor` turns an exec-root path into a link target (e.g. a file URI
 * in the workspace) or null when the path is not a file the user can open.
 */
export type LinkFor = (execPath: string) => string | null;

const SHOWN_EXAMPLES = 5;

export function renderSummaryMarkdown(summary: ExplainSummary, linkFor: LinkFor): string {
  const a = summary.actions;
  const lines = [
    '# Why did this miss the cache?',
    '',
    `${a.changed} changed, ${a.added} added, ${a.removed} removed, ${a.notRun} not run, ` +
      `${a.unchanged} unchanged (${a.old} actions before, ${a.new} after).`,
    '',
  ];
  if (summary.rootCauses.length === 0) {
    lines.push('No root cause: nothing that ran differs from the old build.');
    return `${lines.join('\n')}\n`;
  }
  summary.rootCauses.forEach((cause, i) => {
    const n = cause.affectedActions;
    lines.push(
      `## ${i + 1}. ${headline(cause, linkFor)}`,
      '',
      `Explains ${n} action${n === 1 ? '' : 's'}:`,
      '',
    );
    for (const example of cause.examples.slice(0, SHOWN_EXAMPLES)) lines.push(`- \`${example}\``);
    if (n > SHOWN_EXAMPLES) lines.push(`- … and ${n - SHOWN_EXAMPLES} more`);
    const args = cause.kind === 'args' ? cause : cause.kind === 'configuration' ? cause.args : null;
    if (args && (args.old.length > 0 || args.new.length > 0)) lines.push('', ...diffBlock(args));
    lines.push('');
  });
  return `${lines.join('\n')}\n`;
}

export function renderActionMarkdown(report: ActionReport, linkFor: LinkFor): string {
  const lines = [
    `# \`${report.primaryOutput}\``,
    '',
    `${report.mnemonic}${report.label ? ` ${report.label}` : ''}: **${report.status}**`,
    '',
    '## Root causes',
    '',
    ...report.rootCauses.map((c) => `- ${headline(c, linkFor)}`),
  ];
  if (report.chain.length > 1) {
    lines.push('', '## Chain (where the change began first)', '');
    report.chain.forEach((step, i) => lines.push(`${i + 1}. \`${step}\``));
  }
  if (report.diff) lines.push('', '## Differences', '', ...diffMarkdown(report.diff, linkFor));
  return `${lines.join('\n')}\n`;
}

function headline(cause: RootCause, linkFor: LinkFor): string {
  const text = escape(describeCause(cause));
  if (!('path' in cause)) return text;
  const link = linkFor(cause.path);
  return link ? text.replace(escape(cause.path), `[${escape(cause.path)}](${link})`) : text;
}

function diffBlock(args: { old: string[]; new: string[] }): string[] {
  return ['```diff', ...args.old.map((a) => `- ${a}`), ...args.new.map((a) => `+ ${a}`), '```'];
}

function diffMarkdown(diff: ActionDiff, linkFor: LinkFor): string[] {
  const lines: string[] = [];
  const file = (p: string) => {
    const link = linkFor(p);
    return link ? `[${escape(p)}](${link})` : `\`${p}\``;
  };
  if (diff.configuration) {
    lines.push(`- configuration: \`${diff.configuration.old}\` → \`${diff.configuration.new}\``);
  }
  for (const e of diff.env) lines.push(`- env \`${e.name}\`: ${show(e.old)} → ${show(e.new)}`);
  for (const p of diff.platform)
    lines.push(`- platform \`${p.name}\`: ${show(p.old)} → ${show(p.new)}`);
  for (const c of diff.inputsChanged)
    lines.push(`- ${c.isTool ? 'tool' : 'input'} changed: ${file(c.path)}`);
  for (const p of diff.inputsAdded) lines.push(`- input added: ${file(p)}`);
  for (const p of diff.inputsRemoved) lines.push(`- input removed: \`${p}\``);
  for (const p of diff.outputsChanged) lines.push(`- output differs: \`${p}\``);
  if (diff.exitCode) lines.push(`- exit code: ${diff.exitCode.old} → ${diff.exitCode.new}`);
  if (diff.args) lines.push('', 'Arguments:', '', ...diffBlock(diff.args));
  return lines;
}

function show(value: string | null): string {
  return value === null ? '*(unset)*' : `\`${value}\``;
}

/** Markdown-significant characters of free text (paths keep their look, not their meaning). */
function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}
