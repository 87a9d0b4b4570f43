// How the engine's Bazel tests run a build through the runner in this process (runBuild, not
// the CLI): in a harness workspace copy, with the harness's scrubbed environment and Bazel,
// not recorded in a history store, Bazel's console output kept for assertion messages.
import { runBuild, type BuildRequest, type BuildResult } from '../../src/runner/build-session';
import { requireBazel, scrubbedEnv, type Workspace } from '../helpers/bazel';
import { textSink } from '../helpers/cli';

export interface InProcessBuild {
  /** Bazel's stdout and stderr, interleaved as written. */
  output: ReturnType<typeof textSink>;
  result: Promise<BuildResult>;
}

/** Starts `bazel ARGV` through runBuild in `workspace`; `more` adds or overrides request fields. */
export function inProcessBuild(
  workspace: Workspace,
  argv: string[],
  more: Partial<BuildRequest> = {},
): InProcessBuild {
  const output = textSink();
  const result = runBuild({
    argv,
    cwd: workspace.dir,
    env: scrubbedEnv(),
    bazel: requireBazel(),
    stdout: output,
    stderr: output,
    store: null,
    ...more,
  });
  return { output, result };
}
