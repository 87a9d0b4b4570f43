import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import type { BuildModelView, ModelChange, Test } from '../model/types';
import { formatDuration } from '../presentation/format';

/** The most of a test.log shown as a failure message: the end, where the failure is. */
const MAX_LOG_CHARS = 64 * 1024;

/**
 * Bazel test results in VS Code's Test Explorer: one item per test target, fed from BEP test
 * results (status, attempts, duration; test.log as the failure message), one test run per
 * invocation. Running an item from the explorer runs `bazel test` on it through the session.
 */
export class BuildTestExplorer implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController(
    'remoteBuildLens.tests',
    'Bazel tests (Remote Build Lens)',
  );
  private readonly runs = new Map<string, vscode.TestRun>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: BuildModelView,
    runTests: (labels: string[]) => Promise<unknown>,
  ) {
    this.subscription = model.onDidChange((change) => this.apply(change));
    const run = async (request: vscode.TestRunRequest): Promise<void> => {
      const chosen = request.include ?? [...this.items()];
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      await runTests(chosen.map((i) => i.id).filter((id) => !excluded.has(id)));
    };
    this.controller.createRunProfile('Run with Bazel', vscode.TestRunProfileKind.Run, run, true);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const run of this.runs.values()) run.end();
    this.controller.dispose();
  }

  private *items(): Iterable<vscode.TestItem> {
    for (const [, item] of this.controller.items) yield item;
  }

  private apply(change: ModelChange): void {
    for (const ref of [...change.testsAdded, ...change.testsUpdated]) {
      const test = this.model.tests(ref.invocationId).find((t) => t.id === ref.id);
      if (test !== undefined) this.report(ref.invocationId, test);
    }
    for (const id of change.invocationsUpdated) {
      const invocation = this.model.invocation(id);
      const run = this.runs.get(id);
      if (run !== undefined && invocation !== undefined && invocation.state !== 'running') {
        run.end();
        this.runs.delete(id);
      }
    }
  }

  private report(invocationId: string, test: Test): void {
    const item = this.itemFor(test.label);
    const run = this.runFor(invocationId);
    const duration = test.durationMs ?? undefined;
    item.description =
      test.attempts.length > 1
        ? `${test.status.toLowerCase()} after ${test.attempts.length} attempts`
        : test.status.toLowerCase();
    switch (test.status) {
      case 'PASSED':
        run.passed(item, duration);
        break;
      case 'FLAKY':
        run.passed(item, duration);
        run.appendOutput(
          `${test.label} is flaky: passed after ${test.attempts.length} attempts\r\n`,
        );
        break;
      case 'NO_STATUS':
        run.started(item);
        break;
      case 'FAILED_TO_BUILD':
      case 'TOOL_HALTED_BEFORE_TESTING':
        run.errored(item, new vscode.TestMessage(`${test.label}: ${test.status.toLowerCase()}`));
        break;
      default:
        run.failed(item, this.failureMessage(test), duration);
    }
  }

  private failureMessage(test: Test): vscode.TestMessage {
    const log = test.logs.find((l) => l.name === 'test.log') ?? test.logs[0];
    const header = `${test.label}: ${test.status} (${formatDuration(test.durationMs)})`;
    if (log === undefined || !log.uri.startsWith('file:')) {
      return new vscode.TestMessage(`${header}\nno local test.log (${log?.uri ?? 'none'})`);
    }
    try {
      const text = fs.readFileSync(fileURLToPath(log.uri), 'utf8');
      return new vscode.TestMessage(`${header}\n${text.slice(-MAX_LOG_CHARS)}`);
    } catch {
      return new vscode.TestMessage(`${header}\ntest.log is gone: ${log.uri}`);
    }
  }

  private itemFor(label: string): vscode.TestItem {
    const known = this.controller.items.get(label);
    if (known !== undefined) return known;
    const item = this.controller.createTestItem(label, label);
    this.controller.items.add(item);
    return item;
  }

  private runFor(invocationId: string): vscode.TestRun {
    let run = this.runs.get(invocationId);
    if (run === undefined) {
      const invocation = this.model.invocation(invocationId);
      const name = `bazel ${[invocation?.command ?? 'test', ...(invocation?.patterns ?? [])].join(' ')}`;
      run = this.controller.createTestRun(new vscode.TestRunRequest(), name, true);
      this.runs.set(invocationId, run);
    }
    return run;
  }
}
