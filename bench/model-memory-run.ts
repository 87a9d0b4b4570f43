/**
 * model.bytesPerAction, in its own process started with --expose-gc: the heap the build model
 * retains per action after ingesting a generated stream of ACTIONS actions (forced GC before and
 * after; the encoded events stay alive on both sides so they cancel out). Prints one JSON line.
 *
 * Usage: node --expose-gc model-memory-run.js ACTIONS SEED [OUTPUT_BLOCK_SHARE]
 */
import { decodeBepEvent } from '../src/bep/decode';
import { BuildModel } from '../src/model/build-model';
import { generateBepStream } from './bep-generate';

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('model-memory-run needs node --expose-gc');
  // Several passes: weak references and finalizers can need more than one.
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

function main(): void {
  const actions = Number(process.argv[2]);
  const seed = Number(process.argv[3] ?? 42);
  if (!Number.isInteger(actions) || actions < 1)
    throw new Error('usage: model-memory-run ACTIONS SEED');
  const outputBlockShare = Number(process.argv[4] ?? 0.3);
  const stream = generateBepStream({ actions, outputBlockShare }, seed);
  const invocationId = '00000000-0000-4000-8000-00000000000a';
  const before = collect();
  const model = new BuildModel();
  for (const bytes of stream.events) model.applyEvent(invocationId, decodeBepEvent(bytes), 0);
  // A listener would have taken the pending change; the batcher's sets are not the model's state.
  model.flush();
  const after = collect();
  const held = model.actions(invocationId).length;
  if (held !== actions) throw new Error(`model holds ${held} actions, expected ${actions}`);
  const retained = after - before;
  process.stdout.write(
    `${JSON.stringify({ actions: held, events: stream.events.length, retainedBytes: retained, bytesPerAction: retained / held })}\n`,
  );
  model.dispose();
}

try {
  main();
} catch (err) {
  process.stderr.write(`model-memory-run: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
