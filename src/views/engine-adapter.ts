import type { BuildModelView, ModelChange } from '../model/types';
import { Emitter } from '../util/emitter';
import type { Engine } from './lens-context';

/**
 * Adapts the build engine (model, runner, history store) to what the editor needs. Until the
 * engine's runner lands this offers an empty model and says so when a build is asked for.
 */
export function createEngine(): Engine {
  const changes = new Emitter<ModelChange>();
  const model: BuildModelView = {
    onDidChange: changes.event,
    invocations: () => [],
    invocation: () => undefined,
    targets: () => [],
    tests: () => [],
    actions: () => [],
    action: () => undefined,
    summary: () => undefined,
  };
  return {
    model,
    launcher: {
      start: () => Promise.reject(new Error('the build engine is not available in this build')),
    },
    clearHistory: () => Promise.resolve(),
  };
}
