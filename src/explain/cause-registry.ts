import type { RootCause } from './types';

/** A cause before it is counted: every field except the counts. */
export type CauseFacts = RootCause extends infer C
  ? C extends RootCause
    ? Omit<C, 'affectedActions' | 'examples'>
    : never
  : never;

const MAX_EXAMPLES = 10;
const MAX_CONFIGURATION_ARGS = 50;

interface CauseRecord {
  facts: CauseFacts;
  affected: number;
  examples: string[];
  /** Order of creation: ties in the report keep the order in which causes were found. */
  order: number;
  /** Configuration causes only: argument changes seen, deduplicated. */
  argsSeen?: { old: Set<string>; new: Set<string> };
}

/**
 * Collects root causes by identity (the same env change seen by 40 actions is one cause) and
 * counts the actions attributed to each, once per action.
 */
export class CauseRegistry {
  private readonly records: CauseRecord[] = [];
  private readonly byKey = new Map<string, number>();

  /** The id of the cause with these facts, created on first use. */
  idOf(facts: CauseFacts): number {
    const key = keyOf(facts);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.records.length;
    this.records.push({ facts, affected: 0, examples: [], order: id });
    this.byKey.set(key, id);
    return id;
  }

  /** Counts one action against a cause; callers attribute each action to a cause at most once. */
  attribute(id: number, primaryOutput: string): void {
    const record = this.records[id];
    record.affected++;
    if (record.examples.length < MAX_EXAMPLES) record.examples.push(primaryOutput);
  }

  /** Adds argument changes shown under a configuration cause. */
  noteConfigurationArgs(id: number, args: { old: string[]; new: string[] }): void {
    const record = this.records[id];
    record.argsSeen ??= { old: new Set(), new: new Set() };
    for (const a of args.old) {
      if (record.argsSeen.old.size < MAX_CONFIGURATION_ARGS) record.argsSeen.old.add(a);
    }
    for (const a of args.new) {
      if (record.argsSeen.new.size < MAX_CONFIGURATION_ARGS) record.argsSeen.new.add(a);
    }
  }

  /**
   * The causes that explain at least one action, biggest first, and for each registry id its
   * index in that list (-1 for causes that ended up explaining nothing).
   */
  finish(): { causes: RootCause[]; indexOf: Int32Array } {
    const live = this.records
      .map((record, id) => ({ record, id }))
      .filter(({ record }) => record.affected > 0)
      .sort((a, b) => b.record.affected - a.record.affected || a.record.order - b.record.order);
    const indexOf = new Int32Array(this.records.length).fill(-1);
    const causes = live.map(({ record, id }, index) => {
      indexOf[id] = index;
      return toCause(record);
    });
    return { causes, indexOf };
  }
}

function toCause(record: CauseRecord): RootCause {
  const counts = { affectedActions: record.affected, examples: record.examples };
  if (record.facts.kind === 'configuration') {
    const seen = record.argsSeen;
    return {
      ...record.facts,
      args: { old: seen ? [...seen.old] : [], new: seen ? [...seen.new] : [] },
      ...counts,
    };
  }
  return { ...record.facts, ...counts } as RootCause;
}

function keyOf(facts: CauseFacts): string {
  switch (facts.kind) {
    case 'env':
    case 'platform':
      return [facts.kind, facts.name, facts.old ?? '\u0000', facts.new ?? '\u0000'].join('\n');
    case 'configuration':
      return [facts.kind, facts.old, facts.new].join('\n');
    case 'args':
      // One command line's change: identified by the arguments that changed.
      return [facts.kind, JSON.stringify(facts.old), JSON.stringify(facts.new)].join('\n');
    case 'unknown':
      return facts.kind;
    default:
      return [facts.kind, facts.path].join('\n');
  }
}
