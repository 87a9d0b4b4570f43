import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatePair } from './explain-generate';
import { measureExplainRun } from './explain-measure';

/**
 * `npm run bench` part for the cache-miss explanation: explains a generated pair of
 * 100,000-action execution logs where one header change invalidates 5,000 actions, and reports
 * time and peak memory next to merely parsing both logs, measured in the same run (each in a
 * fresh process). Targets from the issue: <= 3 s, <= 2x the parse time, <= 500 MB.
 * Compact logs (Bazel 7.1+) by default; `--binary` uses `SpawnExec` binary logs instead.
 */
function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-explain-bench-'));
  try {
    const format = process.argv.includes('--binary') ? 'binary' : 'compact';
    const generated = generatePair(dir, {
      packages: 1000,
      compilesPerPackage: 99,
      affectedPackages: 50,
      format,
    });
    const parse = measureExplainRun('parse', generated.oldLog, generated.newLog);
    const explain = measureExplainRun('explain', generated.oldLog, generated.newLog);
    if (explain.changed !== generated.expectedChanged) {
      throw new Error(
        `explain bench: expected ${generated.expectedChanged} changed actions, got ${explain.changed}`,
      );
    }
    const ratio = explain.totalMs / parse.totalMs;
    const report = {
      bench: 'explain',
      format,
      actionsPerLog: generated.actions,
      changed: explain.changed,
      rootCauses: explain.causes,
      logBytes: generated.bytes,
      parseBothMs: Math.round(parse.totalMs),
      explainMs: Math.round(explain.totalMs),
      readNewMs: Math.round(explain.parsedMs),
      ratioToParse: Number(ratio.toFixed(2)),
      cpuMs: { parse: Math.round(parse.cpuMs), explain: Math.round(explain.cpuMs) },
      cpuRatioToParse: Number((explain.cpuMs / parse.cpuMs).toFixed(2)),
      peakRssMb: { parse: Math.round(parse.peakRssMb), explain: Math.round(explain.peakRssMb) },
      targets: { explainMs: 3000, ratioToParse: 2, peakRssMb: 500 },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
