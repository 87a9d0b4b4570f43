/**
 * What Bazel's console says about the build's outcome and the event upload. When the sink fails,
 * Bazel 4.2.3 replaces the build's exit code with 38 or 45, so the real result comes from BEP's
 * BuildFinished or, when that never arrived, from these lines.
 */

/** Exit codes Bazel uses for event upload failures (PUBLISH_ERROR, PERSISTENT_BES_UPLOAD_ERROR). */
export const BES_EXIT_CODES = new Set([38, 45]);

const UPLOAD_ERROR = /^ERROR: (The Build Event Protocol upload (?:failed|timed out)[^\n]*)$/m;

/** Bazel's own message about a failed event upload, or null. */
export function besErrorLine(console: string): string | null {
  return UPLOAD_ERROR.exec(console)?.[1]?.trim() ?? null;
}

/** The build's exit code as the console reports it, or null when it does not say. */
export function exitCodeFromConsole(console: string): number | null {
  if (/^ERROR: build interrupted/m.test(console) || /caught interrupt signal/.test(console))
    return 8;
  if (/^FAILED: Build did NOT complete successfully/m.test(console)) return 1;
  if (/^INFO: Build completed, \d+ tests? FAILED/m.test(console)) return 3;
  if (/^INFO: Build completed successfully/m.test(console)) return 0;
  return null;
}
