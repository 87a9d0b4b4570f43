// Parses Bazel's own summary line, `INFO: 27 processes: 14 internal, 13 linux-sandbox.`, into
// a runner → count map. Runner names are taken from the line as printed and never listed here:
// tests compare against what that very run's Bazel said, whatever runners it names.

export interface ProcessesLine {
  /** The line as Bazel printed it (without the trailing newline). */
  line: string;
  /** N in `INFO: N processes`. */
  total: number;
  /** Every `<count> <runner>` item of the line, in Bazel's words. */
  byRunner: Record<string, number>;
  /** Sum of the byRunner counts; equals `total` in every line Bazel prints. */
  sum: number;
}

// Bazel colours the line when --color is on; the counts are the same.
const ANSI_ESCAPE = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*[A-Za-z]', 'g');
const LINE = /^INFO: (\d+) process(?:es)?(?:: (.*?))?\.?\s*$/;
const ITEM = /^(\d+) (.+)$/;

/**
 * Finds the last processes line in Bazel's console output and parses it. Returns null when the
 * output has none (e.g. Bazel failed before execution); throws when a line is there but one of
 * its items is not `<count> <runner>`, because then the format changed and tests must say so.
 */
export function parseProcessesLine(consoleText: string): ProcessesLine | null {
  const lines = consoleText.replace(ANSI_ESCAPE, '').split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = LINE.exec(lines[i]);
    if (!match) continue;
    const byRunner: Record<string, number> = {};
    let sum = 0;
    for (const item of (match[2] ?? '').split(', ').filter((s) => s !== '')) {
      const parts = ITEM.exec(item.trim());
      if (!parts) throw new Error(`unexpected item '${item}' in Bazel's line '${lines[i]}'`);
      const count = Number(parts[1]);
      byRunner[parts[2]] = (byRunner[parts[2]] ?? 0) + count;
      sum += count;
    }
    return { line: lines[i], total: Number(match[1]), byRunner, sum };
  }
  return null;
}
