/**
 * Small facts about exec-root paths that pairing and attribution need: which configuration an
 * output belongs to, which output names an action, what a 4.2.3 progress message says.
 */

const CONFIG_SEGMENT = /^bazel-out\/([^/]+)\//;
const BAZEL_OUT = 'bazel-out/';

/**
 * The last configuration `configOf` found: a build has a handful, and handing that one string
 * back spares a copy per action (10^5 of them, held as long as the graph is).
 */
let lastConfig = '';

/** The `<config>` of `bazel-out/<config>/...`, or null for source and external paths. */
export function configOf(path: string): string | null {
  if (!path.startsWith(BAZEL_OUT)) return null;
  const end = path.indexOf('/', BAZEL_OUT.length);
  if (end <= BAZEL_OUT.length) return null;
  if (end - BAZEL_OUT.length === lastConfig.length && path.startsWith(lastConfig, BAZEL_OUT.length))
    return lastConfig;
  lastConfig = path.slice(BAZEL_OUT.length, end);
  return lastConfig;
}

/** True for files some action wrote (as opposed to sources checked in or fetched). */
export function isGenerated(path: string): boolean {
  return path.startsWith('bazel-out/');
}

/** Replaces the configuration segment of a path with a placeholder, so configurations compare. */
export function withoutConfig(path: string): string {
  return path.replace(CONFIG_SEGMENT, 'bazel-out/{cfg}/');
}

/**
 * Replaces every occurrence of `bazel-out/<config>/` inside an argument (e.g.
 * `-frandom-seed=bazel-out/k8-opt/bin/a.o`) so two command lines of different configurations
 * compare on what else differs.
 */
export function argWithoutConfig(arg: string, config: string): string {
  const needle = `bazel-out/${config}/`;
  return arg.includes(needle) ? arg.split(needle).join('bazel-out/{cfg}/') : arg;
}

// Outputs that never name an action for a person: dependency files, param files, manifests.
const SECONDARY_OUTPUT = /\.(d|params|pdb|manifest|cache_status)$/;

function baseNameLength(path: string): number {
  return path.length - path.lastIndexOf('/') - 1;
}

/** The output that names an action in reports: `test.log` for tests, else the first real one. */
export function primaryOutputOf(outputs: readonly string[]): string {
  const testLog = outputs.find((o) => o.endsWith('/test.log'));
  if (testLog !== undefined) return testLog;
  const testXml = outputs.find((o) => o.endsWith('/test.xml'));
  if (testXml !== undefined) return testXml;
  // Among the rest the shortest name is the main artifact (`liblib.jar` before
  // `liblib-native-header.jar`, `hello` before `hello.stripped`).
  let best: string | undefined;
  for (const o of outputs) {
    if (SECONDARY_OUTPUT.test(o)) continue;
    if (best === undefined || baseNameLength(o) < baseNameLength(best)) best = o;
  }
  return best ?? outputs[0] ?? '';
}

const LABEL_IN_MESSAGE = /(?:^|\s)(@?[\w.~+-]*\/\/[^\s:]*(?::[^\s]+)?)/;

/**
 * The owning target: the log's label where it has one, else the label a Bazel 4.2.3 progress
 * message names (`Executing genrule //gen:step1`); null when neither says.
 */
export function labelOf(label: string | null, progressMessage: string | null): string | null {
  if (label) return label;
  if (!progressMessage) return null;
  const m = LABEL_IN_MESSAGE.exec(progressMessage);
  return m ? m[1] : null;
}

const RUNFILES_ENTRY = /^(bazel-out\/[^/]+\/bin)\/.+?\.runfiles\/([^/]+)\/(.+)$/;

/**
 * For a file inside a runfiles tree (`bazel-out/k8/bin/pkg/tool.runfiles/_main/pkg/data.txt`),
 * the generated artifact it would link to (`bazel-out/k8/bin/pkg/data.txt`), so a change can be
 * followed to the action that wrote it. Null for paths outside runfiles trees.
 */
export function runfilesArtifactOf(path: string): string | null {
  const m = RUNFILES_ENTRY.exec(path);
  if (!m) return null;
  const [, bin, repo, rest] = m;
  const inMainRepo = repo === '_main' || repo === '__main__';
  return inMainRepo ? `${bin}/${rest}` : `${bin}/external/${repo}/${rest}`;
}

/** True for entries of a runfiles tree: links to sources or artifacts, never written there. */
export function isRunfilesEntry(path: string): boolean {
  return path.includes('.runfiles/');
}
