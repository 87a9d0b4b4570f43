/**
 * Collects the ids that changed and fires them as one ModelChange at most every `intervalMs`
 * (100 ms: about 10 per second), so a 10,000-action build does not redraw a tree 10,000 times.
 */
import { Emitter } from '../util/emitter';
import type { EntityRef, ModelChange } from './types';
import type { ChangeRecorder } from './invocation-record';

type Kind = 'targets' | 'actions' | 'tests';

class RefSet {
  readonly added = new Map<string, EntityRef>();
  readonly updated = new Map<string, EntityRef>();

  mark(invocationId: string, id: string, added: boolean): void {
    const key = `${invocationId}\u0000${id}`;
    if (added) {
      this.updated.delete(key);
      this.added.set(key, { invocationId, id });
    } else if (!this.added.has(key)) {
      this.updated.set(key, { invocationId, id });
    }
  }
}

export class ChangeBatcher implements ChangeRecorder {
  readonly emitter = new Emitter<ModelChange>();
  private invAdded = new Set<string>();
  private invUpdated = new Set<string>();
  private sets: Record<Kind, RefSet> = {
    targets: new RefSet(),
    actions: new RefSet(),
    tests: new RefSet(),
  };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 100) {}

  invocation(id: string, added: boolean): void {
    if (added) {
      this.invUpdated.delete(id);
      this.invAdded.add(id);
    } else if (!this.invAdded.has(id)) this.invUpdated.add(id);
    this.schedule();
  }

  target(invocationId: string, id: string, added: boolean): void {
    this.sets.targets.mark(invocationId, id, added);
    this.schedule();
  }

  action(invocationId: string, id: string, added: boolean): void {
    this.sets.actions.mark(invocationId, id, added);
    this.schedule();
  }

  test(invocationId: string, id: string, added: boolean): void {
    this.sets.tests.mark(invocationId, id, added);
    this.schedule();
  }

  /** Fires what is pending now (end of a build, tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.sets;
    const change: ModelChange = {
      invocationsAdded: [...this.invAdded],
      invocationsUpdated: [...this.invUpdated],
      targetsAdded: [...s.targets.added.values()],
      targetsUpdated: [...s.targets.updated.values()],
      actionsAdded: [...s.actions.added.values()],
      actionsUpdated: [...s.actions.updated.values()],
      testsAdded: [...s.tests.added.values()],
      testsUpdated: [...s.tests.updated.values()],
    };
    this.invAdded = new Set();
    this.invUpdated = new Set();
    this.sets = { targets: new RefSet(), actions: new RefSet(), tests: new RefSet() };
    const empty = Object.values(change).every((list: unknown[]) => list.length === 0);
    if (!empty) this.emitter.fire(change);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.emitter.dispose();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    // A pending redraw must not keep a CLI process alive.
    this.timer.unref();
  }
}
