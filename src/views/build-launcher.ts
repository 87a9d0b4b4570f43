import type { SettingsSnapshot } from './settings';

/**
 * What the editor asks the build engine for, as plain data. The composition root adapts the
 * engine's runner to this interface, so the commands never depend on how Bazel is started.
 */
export interface BuildRequest {
  /** The Bazel workspace root the build runs in. */
  workspace: string;
  /** `build`, `test`, ... */
  command: string;
  /** Target patterns and any flags, as the user gave them. */
  args: string[];
  settings: SettingsSnapshot;
}

export interface StartedBuild {
  invocationId: string;
  /** Settles when Bazel has exited, with the build's own exit code. */
  finished: Promise<number>;
  cancel(): void;
}

export interface BuildLauncher {
  /** Starts Bazel; console output (stdout and stderr, raw) arrives through `onConsole`. */
  start(request: BuildRequest, onConsole: (chunk: string) => void): Promise<StartedBuild>;
}
