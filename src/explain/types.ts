/**
 * The typed result of a cache-miss explanation. `ExplainSummary` is exactly the JSON that
 * `rbl explain --json` prints (CONTRACT.md); `Explanation` adds the per-action detail the editor
 * and `--action` show. The diff stage produces it; renderers only read it.
 */

/** How the actions of the two sides compare, counted per action (CONTRACT.md). */
export interface ActionCounts {
  old: number;
  new: number;
  changed: number;
  added: number;
  removed: number;
  notRun: number;
  unchanged: number;
}

/** Fields every root cause has. */
interface CauseBase {
  /** How many changed, added or removed actions this cause explains, the first one included. */
  affectedActions: number;
  /** Primary outputs of the actions it explains, the action where the change began first. */
  examples: string[];
}

/** A file-level cause: a source or tool input whose content changed, appeared or went away. */
export interface PathCause extends CauseBase {
  kind: 'input' | 'input-added' | 'input-removed' | 'tool' | 'non-hermetic';
  path: string;
}

/** An environment variable or platform property that differs; an absent side is null. */
export interface NamedValueCause extends CauseBase {
  kind: 'env' | 'platform';
  name: string;
  old: string | null;
  new: string | null;
}

/** The command line of one action changed (e.g. a genrule's `cmd`). */
export interface ArgsCause extends CauseBase {
  kind: 'args';
  /** Arguments only in the old command line, in order. */
  old: string[];
  /** Arguments only in the new command line, in order. */
  new: string[];
}

/** The output configuration changed (`-c opt`, a platform or flag that moves `bazel-out/<cfg>/`). */
export interface ConfigurationCause extends CauseBase {
  kind: 'configuration';
  /** Old and new configuration names, e.g. `k8-fastbuild` and `k8-opt`. */
  old: string;
  new: string;
  /** The argument differences the configuration brought, over all its actions (not causes). */
  args: { old: string[]; new: string[] };
}

/** An action that exists on one side only. */
export interface ActionPresenceCause extends CauseBase {
  kind: 'action-added' | 'action-removed';
  path: string;
  label: string | null;
  mnemonic: string;
}

/** A changed action whose recorded facts show no difference we can name. */
export interface UnknownCause extends CauseBase {
  kind: 'unknown';
}

export type RootCause =
  PathCause | NamedValueCause | ArgsCause | ConfigurationCause | ActionPresenceCause | UnknownCause;

export type RootCauseKind = RootCause['kind'];

/** What `rbl explain --json` prints. */
export interface ExplainSummary {
  actions: ActionCounts;
  rootCauses: RootCause[];
}

/** One input file whose digest differs between the sides. */
export interface ChangedInput {
  path: string;
  oldHash: string | null;
  newHash: string | null;
  isTool: boolean;
}

/** What differs in one paired action, field by field. Empty lists mean "the same". */
export interface ActionDiff {
  /** Argument-level diff: arguments removed from and added to the command line, in order. */
  args: { old: string[]; new: string[] } | null;
  env: { name: string; old: string | null; new: string | null }[];
  platform: { name: string; old: string | null; new: string | null }[];
  inputsAdded: string[];
  inputsRemoved: string[];
  inputsChanged: ChangedInput[];
  /** Outputs whose digest differs (or that exist on one side only). */
  outputsChanged: string[];
  /** Set when the pair was matched across configurations: old and new configuration names. */
  configuration: { old: string; new: string } | null;
  exitCode: { old: number; new: number } | null;
}

export type ActionStatus = 'changed' | 'added' | 'removed';

/** A changed, added or removed action and the root causes it is attributed to. */
export interface ActionExplanation {
  status: ActionStatus;
  primaryOutput: string;
  outputs: readonly string[];
  label: string | null;
  mnemonic: string;
  /** Indices into `Explanation.summary.rootCauses`. */
  causes: number[];
  /** Primary outputs of the upstream actions whose changed outputs reached this one. */
  via: string[];
  /** Null for added and removed actions. */
  diff: ActionDiff | null;
}

/** The whole result: the CONTRACT summary and the per-action detail behind it. */
export interface Explanation {
  summary: ExplainSummary;
  /** Changed, added and removed actions in the order they were attributed (producers first). */
  actions: ActionExplanation[];
}
