/**
 * One shared copy per distinct string. Decoded events give every action its own copy of strings
 * that repeat across thousands of actions (labels, mnemonics, configuration ids); keeping one
 * copy each saves about a third of an action's memory.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  intern(value: string): string {
    const known = this.pool.get(value);
    if (known !== undefined) return known;
    this.pool.set(value, value);
    return value;
  }
}
