import * as vscode from 'vscode';

/** The section every setting of ours lives under. */
export const SETTINGS_SECTION = 'remoteBuildLens';

/** A plain snapshot of our settings: what the core receives, never a vscode object. */
export interface SettingsSnapshot {
  /** Bazel binary; empty means "find it" (bazelisk, then bazel on PATH). */
  bazelPath: string;
  /** Added to every build and test command the extension starts. */
  extraFlags: string[];
  /** How many invocations the Builds tree and the history keep. */
  historySize: number;
  /** Another BES backend every event is also sent to (e.g. the team's), or empty. */
  forwardBesBackend: string;
  /** `--build_event_publish_all_actions`: live action rows; off for very large builds. */
  publishAllActions: boolean;
}

const DEFAULTS: SettingsSnapshot = {
  bazelPath: '',
  extraFlags: [],
  historySize: 20,
  forwardBesBackend: '',
  publishAllActions: true,
};

/**
 * The one place that reads `remoteBuildLens.*`. Everything else asks this class, so a setting's
 * name, type and default are written once, and a change reaches listeners as a new snapshot.
 */
export class Settings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SettingsSnapshot>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) this.changed.fire(this.snapshot());
    });
  }

  snapshot(scope?: vscode.Uri): SettingsSnapshot {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
    return {
      bazelPath: stringOr(config.get('bazelPath'), DEFAULTS.bazelPath).trim(),
      extraFlags: stringArrayOr(config.get('extraFlags'), DEFAULTS.extraFlags),
      historySize: positiveIntegerOr(config.get('historySize'), DEFAULTS.historySize),
      forwardBesBackend: stringOr(
        config.get('forwardBesBackend'),
        DEFAULTS.forwardBesBackend,
      ).trim(),
      publishAllActions: booleanOr(config.get('publishAllActions'), DEFAULTS.publishAllActions),
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

// A hand-edited settings.json can hold any JSON: a wrong type falls back to the default
// instead of reaching the core.
function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function stringArrayOr(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : fallback;
}

function positiveIntegerOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}
