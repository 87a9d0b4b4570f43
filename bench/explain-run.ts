import * as fs from 'node:fs';
import { readExecLogFile } from '../src/execlog';
import type { Spawn } from '../src/execlog/types';
import { explainStreamed, SpawnInterner, streamSpawnsForExplain } from '../src/explain';

/** Passes spawns through and calls `done` once they are all read. */
async function* timed(spawns: AsyncIterable<Spawn>, done: () => void): AsyncGenerator<Spawn> {
  yield* spawns;
  done();
}

/**
 * One measured run in its own process, so its peak memory is its own: `parse OLD NEW` only
 * reads both logs (the readers, as `rbl log`); `explain OLD NEW` explains them the way
 * `rbl explain` does. Prints one JSON line.
 */
async function main(): Promise<void> {
  const [mode, oldLog, newLog] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  let spawns = 0;
  let parsedMs: number;
  let changed: number | null = null;
  let causes: string[] = [];
  if (mode === 'explain') {
    // NEW read first, OLD streamed against it; NEW is streamed into the engine too, not held in
    // an array here, so the spawns OLD matches can be let go.
    const interner = new SpawnInterner();
    let newReadMs = 0;
    const newSpawns = timed(streamSpawnsForExplain(newLog, interner), () => {
      newReadMs = Number(process.hrtime.bigint() - started) / 1e6;
    });
    const { summary } = await explainStreamed(streamSpawnsForExplain(oldLog, interner), newSpawns);
    parsedMs = newReadMs;
    spawns = summary.actions.old + summary.actions.new;
    changed = summary.actions.changed;
    causes = summary.rootCauses.map(
      (c) => `${c.kind} ${'path' in c ? c.path : ''} x${c.affectedActions}`,
    );
  } else {
    // Merely parsing: both logs read whole by the readers, as `rbl log` does.
    for (const log of [oldLog, newLog]) {
      const { spawns: read, error } = await readExecLogFile(log);
      if (error) throw error;
      spawns += read.length;
    }
    parsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = ownPeakRssMb();
  // CPU time too: on a shared machine wall time also measures the neighbours.
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ mode, spawns, parsedMs, totalMs, cpuMs, peakRssMb, changed, causes })}\n`,
  );
}

/**
 * This process's own peak resident memory. getrusage's maxRSS (process.resourceUsage) also
 * counts the parent's pages between fork and exec: spawned from the bench, whose heap holds the
 * earlier parts' data, a run that peaked at 370 MB reported over 500. Linux's VmHWM belongs to
 * the memory map exec made; elsewhere maxRSS is what there is.
 */
function ownPeakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (hwm?.[1]) return Number(hwm[1]) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

main().catch((err: unknown) => {
  process.stderr.write(`explain-run: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
