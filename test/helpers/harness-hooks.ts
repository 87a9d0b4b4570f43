// Mocha root hooks for the bazel tier (loaded by .mocharc.bazel.json): after the last test,
// every Bazel server the run started is shut down and checked gone, and the time spent in Bazel
// is printed. Runs that do not load this file still get the harness's process-exit safety net.
import { bazelTime, shutdownAll } from './bazel';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(5 * 60_000);
    const { wallMs, commands } = bazelTime();
    await shutdownAll();
    process.stderr.write(
      `bazel harness: ${commands} Bazel commands, ${(wallMs / 1000).toFixed(1)} s wall with Bazel running\n`,
    );
  },
};
