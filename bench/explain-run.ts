import { explainSpawns, readSpawnsForExplain } from '../src/explain';

/**
 * One measured run in its own process, so its peak memory is its own: `parse OLD NEW` only
 * reads both logs; `explain OLD NEW` reads them and explains. Prints one JSON line.
 */
async function main(): Promise<void> {
  const [mode, oldLog, newLog] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const oldSpawns = await readSpawnsForExplain(oldLog);
  const newSpawns = await readSpawnsForExplain(newLog);
  const parsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  let changed: number | null = null;
  let causes: string[] = [];
  if (mode === 'explain') {
    const { summary } = explainSpawns(oldSpawns, newSpawns);
    changed = summary.actions.changed;
    causes = summary.rootCauses.map(
      (c) => `${c.kind} ${'path' in c ? c.path : ''} x${c.affectedActions}`,
    );
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // CPU time too: on a shared machine wall time also measures the neighbours.
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ mode, spawns: oldSpawns.length + newSpawns.length, parsedMs, totalMs, cpuMs, peakRssMb, changed, causes })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`explain-run: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
