/**
 * Collects the ids that changed and fires them as one ModelChange at most every `intervalMs`
 * (100 ms: about 10 per second), so a 10,000-action build does not redraw a tree 10,000 times.
 */
import { Emitter } from '../util/emitter';
import type { EntityRef, ModelChange } from './types';
import type { ChangeRecorder } from './invocation-record';

type Kind = 'targets' | 'actions' | 'tests';

/**
 * Ids per invocation, in the order first marked. Keyed by invocation then id rather than by one
 * joined string: a joined key costs a string allocation and a hash on every event.
 */
class RefSet {
  private readonly added = new Map<string, Map<string, EntityRef>>();
  private readonly updated = new Map<string, Map<string, EntityRef>>();

  mark(invocationId: string, id: string, added: boolean): void {
    const adds = bucket(this.added, invocationId);
    if (added) {
      this.updated.get(invocationId)?.delete(id);
      if (!adds.has(id)) adds.set(id, { invocationId, id });
      return;
    }
    if (adds.has(id)) return;
    const updates = bucket(this.updated, invocationId);
    if (!updates.has(id)) updates.set(id, { invocationId, id });
  }

  addedRefs(): EntityRef[] {
    return flatten(this.added);
  }

  updatedRefs(): EntityRef[] {
    return flatten(this.updated);
  }
}

function bucket(
  byInvocation: Map<string, Map<string, EntityRef>>,
  invocationId: string,
): Map<string, EntityRef> {
  let refs = byInvocation.get(invocationId);
  if (!refs) {
    refs = new Map();
    byInvocation.set(invocationId, refs);
  }
  return refs;
}

function flatten(byInvocation: Map<string, Map<string, EntityRef>>): EntityRef[] {
  const out: EntityRef[] = [];
  for (const refs of byInvocation.values()) for (const ref of refs.values()) out.push(ref);
  return out;
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
      targetsAdded: s.targets.addedRefs(),
      targetsUpdated: s.targets.updatedRefs(),
      actionsAdded: s.actions.addedRefs(),
      actionsUpdated: s.actions.updatedRefs(),
      testsAdded: s.tests.addedRefs(),
      testsUpdated: s.tests.updatedRefs(),
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
