import type { Action, Invocation, Target, Test } from '../model/types';
import { baseName, formatDuration, joinParts, shortLabel } from './format';
import {
  locationKeyOf,
  locationStyle,
  type LocationKey,
  type LocationStyle,
} from './location-style';
import { formatMix, mixOf } from './mix';
import { mdCode, mdText } from './markdown';

/**
 * What one tree row shows, as plain data: the tree provider turns it into a `TreeItem`. Keeping
 * it here lets plain-Node tests check every label, icon and tooltip without VS Code.
 */
export interface Row {
  label: string;
  description: string;
  /** Markdown lines, joined by the view. */
  tooltip: string[];
  icon: LocationStyle;
  /** `contextValue` for menus' `when` clauses (`viewItem == rbl.action.failed`, ...). */
  contextValue: string;
}

const INVOCATION_ICONS: Record<string, LocationStyle> = {
  running: { icon: 'sync~spin', color: null, title: 'running' },
  passed: { icon: 'pass', color: 'testing.iconPassed', title: 'passed' },
  failed: { icon: 'error', color: 'testing.iconFailed', title: 'failed' },
  interrupted: { icon: 'circle-slash', color: 'disabledForeground', title: 'cancelled' },
  aborted: { icon: 'warning', color: 'editorWarning.foreground', title: 'aborted' },
};

/** `passed`, `failed`, `running`, `interrupted`, `aborted`: the word an invocation row uses. */
export function invocationResult(invocation: Invocation): string {
  if (invocation.state === 'running') return 'running';
  if (invocation.state === 'interrupted' || invocation.state === 'aborted') return invocation.state;
  return invocation.exitCode === 0 ? 'passed' : 'failed';
}

/** Elapsed wall time: start to finish, or start to `now` while running. */
export function elapsedMs(invocation: Invocation, now: number): number | null {
  if (invocation.startedAt === null) return null;
  return (invocation.finishedAt ?? now) - invocation.startedAt;
}

export function invocationRow(
  invocation: Invocation,
  actions: readonly Action[],
  now: number,
): Row {
  const result = invocationResult(invocation);
  const command = [invocation.command ?? 'bazel', ...invocation.patterns].join(' ');
  const mix = formatMix(mixOf(invocation, actions), invocation.state !== 'running');
  const when = invocation.startedAt === null ? null : new Date(invocation.startedAt).toISOString();
  return {
    label: command,
    description: joinParts([result, formatDuration(elapsedMs(invocation, now)), mix]),
    tooltip: [
      `**bazel ${mdText(command)}**`,
      `Result: ${result}${invocation.exitCode === null ? '' : ` (exit ${invocation.exitCode}${invocation.exitCodeName ? ` ${invocation.exitCodeName}` : ''})`}`,
      `Mix: ${mix}`,
      ...(when === null ? [] : [`Started: ${when}`]),
      ...(invocation.besError === null
        ? []
        : [`Event upload problem: ${mdText(invocation.besError.message)}`]),
      ...(invocation.processes.mismatch === null
        ? []
        : [`Process counts differ from Bazel's: ${invocation.processes.mismatch}`]),
      `Invocation: ${mdCode(invocation.id)}`,
    ],
    icon: INVOCATION_ICONS[result],
    contextValue: `rbl.invocation.${result}`,
  };
}

export function targetRow(target: Target, actions: readonly Action[], test: Test | undefined): Row {
  const failed =
    target.state === 'failed' || target.success === false || actions.some((a) => !a.success);
  const state = test?.status ?? target.state;
  return {
    label: shortLabel(target.label),
    description: joinParts([
      target.kind?.replace(/ rule$/, '') ?? null,
      state.toLowerCase(),
      `${actions.length} action${actions.length === 1 ? '' : 's'}`,
    ]),
    tooltip: [
      `**${mdText(target.label)}**`,
      `State: ${state.toLowerCase()}`,
      ...(target.reason === null ? [] : [`Reason: ${mdText(target.reason)}`]),
      ...(test?.durationMs == null ? [] : [`Test time: ${formatDuration(test.durationMs)}`]),
    ],
    icon: failed
      ? locationStyle('failed')
      : target.state === 'configured'
        ? { icon: 'circle-outline', color: null, title: 'building' }
        : target.state === 'aborted'
          ? { icon: 'circle-slash', color: 'disabledForeground', title: 'aborted' }
          : { icon: 'package', color: null, title: 'built' },
    contextValue: `rbl.target${target.isTest ? '.test' : ''}${failed ? '.failed' : ''}`,
  };
}

export function actionRow(action: Action): Row {
  const key = locationKeyOf(action);
  const style = locationStyle(key);
  const where =
    action.location === null ? 'location pending' : locationStyle(action.location).title;
  const output = action.primaryOutput ?? action.outputs[0] ?? null;
  return {
    label: output === null ? action.mnemonic : baseName(output),
    description: joinParts([
      action.mnemonic,
      action.label === null ? null : shortLabel(action.label),
      action.location === null ? 'location pending' : null,
      action.durationMs === null ? null : formatDuration(action.durationMs),
    ]),
    tooltip: [
      `**${mdText(action.mnemonic)}** ${mdText(action.label ?? '')}`.trimEnd(),
      `Where: ${where}${action.locationReason ? ` (${mdText(action.locationReason)})` : ''}`,
      `Runner: ${action.runner === null ? 'not known yet' : mdText(action.runner)}`,
      `Primary output: ${output === null ? '—' : mdCode(output)}`,
      `Exit code: ${action.exitCode ?? '—'}${action.success ? '' : ' (failed)'}`,
      `Duration: ${formatDuration(action.durationMs)}`,
      ...(action.finishedAt === null
        ? []
        : [`Finished: ${new Date(action.finishedAt).toISOString()}`]),
      ...(action.failureMessage === null ? [] : [`Failure: ${mdText(action.failureMessage)}`]),
    ],
    icon: style,
    contextValue: `rbl.action.${key}${action.stdout !== '' || action.stderr !== '' ? '.output' : ''}`,
  };
}

/** A location group under an invocation (group by location): `remote cache hit`, `12 actions`. */
export function locationGroupRow(key: LocationKey, actions: readonly Action[]): Row {
  const style = locationStyle(key);
  const total = actions.reduce((sum, a) => sum + (a.durationMs ?? 0), 0);
  return {
    label: style.title,
    description: joinParts([
      `${actions.length} action${actions.length === 1 ? '' : 's'}`,
      total > 0 ? formatDuration(total) : null,
    ]),
    tooltip: [
      `**${style.title}**`,
      `${actions.length} action${actions.length === 1 ? '' : 's'}, ${formatDuration(total)} of action time`,
    ],
    icon: style,
    contextValue: `rbl.location.${key}`,
  };
}

/** A workspace section (several Bazel workspaces open): its folder name and its builds. */
export function workspaceSectionRow(root: string, invocations: readonly Invocation[]): Row {
  const name = root.replace(/\/+$/, '').split('/').pop() || root;
  return {
    label: name,
    description: joinParts([
      `${invocations.length} build${invocations.length === 1 ? '' : 's'}`,
      root,
    ]),
    tooltip: [`**${mdText(root)}**`, `${invocations.length} build(s) of this workspace`],
    icon: { icon: 'root-folder', color: null, title: 'workspace' },
    contextValue: 'rbl.workspace',
  };
}
