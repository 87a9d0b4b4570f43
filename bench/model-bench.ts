/** model.bytesPerAction: runs model-memory-run in a fresh `node --expose-gc` per sample. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { median } from './stats';

export interface ModelFigures {
  actions: number;
  bytesPerAction: number;
  samples: number[];
}

export function runModelBench(
  options: { actions: number; runs: number; seed: number; outputBlockShare: number },
  log: (line: string) => void,
): ModelFigures {
  const samples: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        path.join(__dirname, 'model-memory-run.js'),
        String(options.actions),
        String(options.seed),
        String(options.outputBlockShare),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`model bench: ${child.stderr || child.error?.message}`);
    const out = JSON.parse(child.stdout) as { bytesPerAction: number };
    samples.push(out.bytesPerAction);
    log(`model run ${run + 1}: ${out.bytesPerAction.toFixed(0)} bytes per action`);
  }
  return {
    actions: options.actions,
    bytesPerAction: Math.round(median(samples)),
    samples: samples.map(Math.round),
  };
}
