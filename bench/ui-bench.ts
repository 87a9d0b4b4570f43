/**
 * ui: the model's coalesced change stream (what the Builds tree listens to), headless, fed a
 * steady BEP event rate (10,000 events/s for 10 s by default): refreshes per second and the
 * event loop's lag p99 (perf_hooks.monitorEventLoopDelay) while it runs. Events are decoded as
 * the sink would, in the same process, so decoding cost is part of the load.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodeBepEvent } from '../src/bep/decode';
import { BuildModel } from '../src/model/build-model';
import { generateBepStream } from './bep-generate';
import { round } from './stats';

export interface UiFigures {
  eventsPerSec: number;
  seconds: number;
  eventsFed: number;
  /** Events that were due but not fed by the deadline because the model fell behind. */
  eventsBehind: number;
  refreshes: number;
  refreshesPerSec: number;
  loopLagP99Ms: number;
  loopLagMaxMs: number;
}

const TICK_MS = 10;

export async function runUiBench(options: {
  eventsPerSec: number;
  seconds: number;
  seed: number;
}): Promise<UiFigures> {
  const total = Math.round(options.eventsPerSec * options.seconds);
  const stream = generateBepStream({ events: Math.max(3, total) }, options.seed);
  const model = new BuildModel();
  const invocationId = '00000000-0000-4000-8000-0000000000ee';
  let refreshes = 0;
  let changedIds = 0;
  const sub = model.onDidChange((change) => {
    refreshes++;
    changedIds +=
      change.actionsAdded.length + change.actionsUpdated.length + change.targetsAdded.length;
  });
  const lag = monitorEventLoopDelay({ resolution: 1 });
  let fed = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000 + 50;
  lag.enable();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Feed what the wall clock says is due: a steady rate even when a tick comes late.
      const due = Math.min(
        stream.events.length,
        Math.round(((performance.now() - started) / 1000) * options.eventsPerSec),
      );
      // A model slower than the feed must not stretch the run: stop at the deadline.
      for (; fed < due && performance.now() < deadline; fed++)
        model.applyEvent(
          invocationId,
          decodeBepEvent(stream.events[fed] as Uint8Array),
          Date.now(),
        );
      if (fed >= stream.events.length || performance.now() >= deadline) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  // Let the last coalescing interval fire as it would in the editor.
  await new Promise((r) => setTimeout(r, 150));
  lag.disable();
  const seconds = (performance.now() - started) / 1000;
  sub.dispose();
  model.dispose();
  if (changedIds === 0) throw new Error('ui bench: the model reported no change');
  return {
    eventsPerSec: options.eventsPerSec,
    seconds: round(seconds, 2),
    eventsFed: fed,
    eventsBehind: total - fed,
    refreshes,
    refreshesPerSec: round(refreshes / seconds, 2),
    loopLagP99Ms: round(lag.percentile(99) / 1e6, 2),
    loopLagMaxMs: round(lag.max / 1e6, 2),
  };
}
