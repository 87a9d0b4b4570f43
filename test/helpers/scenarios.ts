// The standard scenarios, recorded ONCE per test run on the real Bazel and shared by every test
// file that awaits standardScenarios(): a lazily started, memoized recording per wrapper.
//
// They run in order on one workspace copy, each building on the state the previous one left
// (like ../shared/fixtures/record.sh): clean → no-op → disk-cache hits after `bazel clean` →
// source edit → --action_env change → -c opt → failing build with --keep_going → tests.
// Every scenario writes BEP (JSON + binary) and the execution log (binary + JSON) into its own
// folder. Expected counts are never written down here: each scenario carries the processes line
// that its own Bazel printed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, runBazel, runRoot, type BazelWrapper, type Workspace } from './bazel';
import { recordBuild, type RecordedBuild } from './record-build';

export type ScenarioName =
  | 'clean'
  | 'noop'
  | 'disk-cache'
  | 'source-edit'
  | 'env-change'
  | 'opt'
  | 'failing-keep-going'
  | 'tests';

export interface Scenario extends RecordedBuild {
  name: ScenarioName;
  description: string;
  /** The exit code Bazel defines for this scenario (0 built, 1 build failed, 3 tests failed). */
  expectedExitCode: number;
}

export interface ScenarioSet {
  workspace: Workspace;
  diskCache: string;
  /** In recording order. */
  list: Scenario[];
  byName: Record<ScenarioName, Scenario>;
  /** Wall time of the whole recording. */
  wallMs: number;
  wrapper: string | null;
}

/** Targets of the default build: everything but the manual (failing, gate, non-hermetic) ones. */
export const DEFAULT_TARGETS = ['//...'];
/** The failing build: a broken genrule, a sibling that works and a dependant of the broken one. */
export const FAILING_TARGETS = ['//fail:broken', '//fail:sibling_ok', '//fail:needs_broken'];

interface ScenarioStep {
  name: ScenarioName;
  description: string;
  expectedExitCode: number;
  /** Runs before the command, e.g. `bazel clean` or a file edit. */
  prepare?: (workspace: Workspace) => Promise<void>;
  command: 'build' | 'test';
  options: (diskCache: string) => string[];
  targets: string[];
}

const common = (diskCache: string, greeting: string): string[] => [
  '--build_event_publish_all_actions',
  `--disk_cache=${diskCache}`,
  `--action_env=GREETING=${greeting}`,
];

const STEPS: ScenarioStep[] = [
  {
    name: 'clean',
    description: 'clean build: fresh output base, empty disk cache, GREETING=hello, fastbuild',
    expectedExitCode: 0,
    command: 'build',
    options: (dc) => common(dc, 'hello'),
    targets: DEFAULT_TARGETS,
  },
  {
    name: 'noop',
    description: 'the same command again: nothing to do (empty execution log)',
    expectedExitCode: 0,
    command: 'build',
    options: (dc) => common(dc, 'hello'),
    targets: DEFAULT_TARGETS,
  },
  {
    name: 'disk-cache',
    description: "after 'bazel clean': every spawn is a disk cache hit",
    expectedExitCode: 0,
    prepare: async (ws) => {
      const clean = await runBazel(ws, ['clean']);
      if (clean.exitCode !== 0) throw new Error(`bazel clean failed:\n${clean.stderr}`);
    },
    command: 'build',
    options: (dc) => common(dc, 'hello'),
    targets: DEFAULT_TARGETS,
  },
  {
    name: 'source-edit',
    description: 'gen/input.txt edited: the genrule chain and what depends on it rerun',
    expectedExitCode: 0,
    prepare: async (ws) => {
      fs.writeFileSync(
        path.join(ws.dir, 'gen', 'input.txt'),
        'hello from the genrule chain, edited\nwith a second line\n',
      );
    },
    command: 'build',
    options: (dc) => common(dc, 'hello'),
    targets: DEFAULT_TARGETS,
  },
  {
    name: 'env-change',
    description: '--action_env=GREETING changed from hello to bonjour',
    expectedExitCode: 0,
    command: 'build',
    options: (dc) => common(dc, 'bonjour'),
    targets: DEFAULT_TARGETS,
  },
  {
    name: 'opt',
    description: '-c opt instead of fastbuild (GREETING=bonjour as before)',
    expectedExitCode: 0,
    command: 'build',
    options: (dc) => [...common(dc, 'bonjour'), '-c', 'opt'],
    targets: DEFAULT_TARGETS,
  },
  {
    name: 'failing-keep-going',
    description: '--keep_going build of a failing genrule, a working sibling and a dependant',
    expectedExitCode: 1,
    command: 'build',
    options: (dc) => [...common(dc, 'hello'), '--keep_going'],
    targets: FAILING_TARGETS,
  },
  {
    name: 'tests',
    description: 'bazel test: pass_test passes, fail_test fails (--test_env=RBL_FAIL_TEST=1)',
    expectedExitCode: 3,
    command: 'test',
    options: (dc) => [...common(dc, 'hello'), '--test_env=RBL_FAIL_TEST=1', '--test_output=errors'],
    targets: ['//tests:all'],
  },
];

export const SCENARIO_NAMES: readonly ScenarioName[] = STEPS.map((s) => s.name);

/** Records every standard scenario on a fresh workspace copy, in order. */
export async function recordScenarios(wrapper?: BazelWrapper): Promise<ScenarioSet> {
  const started = Date.now();
  const label = wrapper ? wrapper.name : 'bazel';
  const workspace = createWorkspace(`scenarios-${label}`);
  const folder = path.join(runRoot(), 'scenarios', path.basename(workspace.dir));
  const diskCache = path.join(folder, 'disk-cache');
  fs.mkdirSync(diskCache, { recursive: true });
  const list: Scenario[] = [];
  for (const step of STEPS) {
    // Preparation (bazel clean, edits) is never wrapped: only the recorded command is.
    await step.prepare?.(workspace);
    const build = await recordBuild(workspace, {
      command: step.command,
      options: step.options(diskCache),
      targets: step.targets,
      dir: path.join(folder, step.name),
      ...(wrapper ? { wrapper } : {}),
    });
    list.push({
      name: step.name,
      description: step.description,
      expectedExitCode: step.expectedExitCode,
      ...build,
    });
  }
  const byName = Object.fromEntries(list.map((s) => [s.name, s])) as Record<ScenarioName, Scenario>;
  return {
    workspace,
    diskCache,
    list,
    byName,
    wallMs: Date.now() - started,
    wrapper: wrapper ? wrapper.name : null,
  };
}

const recordings = new Map<string, Promise<ScenarioSet>>();

/**
 * The standard scenarios of this test run, recorded on first use and shared afterwards. With a
 * wrapper (e.g. `rbl build --json -- ...`), the same scenarios are recorded once more through it
 * (memoized by wrapper name), so the wrapper's JSON on stdout can be compared with Bazel's line.
 */
export function standardScenarios(wrapper?: BazelWrapper): Promise<ScenarioSet> {
  const key = wrapper ? `wrapper:${wrapper.name}` : 'bazel';
  let recording = recordings.get(key);
  if (!recording) {
    recording = recordScenarios(wrapper);
    recordings.set(key, recording);
  }
  return recording;
}

/**
 * A wrapper that runs each scenario through `rbl build --json` as CONTRACT.md defines it.
 * `rbl` is the command that starts the CLI, e.g. [process.execPath, '/path/to/rbl.js'].
 */
export function rblBuildWrapper(rbl: string[], name = 'rbl'): BazelWrapper {
  return {
    name,
    wrap: ({ bazel, args, cwd }) => ({
      file: rbl[0],
      args: [...rbl.slice(1), 'build', '--json', '--bazel', bazel, '--cwd', cwd, '--', ...args],
    }),
  };
}
