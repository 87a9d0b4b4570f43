import type { ActionExplanation, Explanation, RootCause } from './types';

/** One affected action with its root causes spelled out and the chain that led to it. */
export interface ActionReport extends ActionExplanation {
  rootCauses: RootCause[];
  /**
   * Primary outputs from where the change began to this action: each step is an action whose
   * changed output the next one read. Just this action when the change began here.
   */
  chain: string[];
}

const MAX_CHAIN = 50;

/** The affected action that writes `outputPath`, or null when no changed/added/removed one does. */
export function findAction(explanation: Explanation, outputPath: string): ActionReport | null {
  const action = explanation.actions.find((a) => a.outputs.includes(outputPath));
  if (!action) return null;
  return {
    ...action,
    rootCauses: action.causes.map((i) => explanation.summary.rootCauses[i]),
    chain: chainTo(explanation, action),
  };
}

/** Walks `via` links upstream to the first action of the change, then reverses. */
function chainTo(explanation: Explanation, action: ActionExplanation): string[] {
  const byOutput = new Map(explanation.actions.map((a) => [a.primaryOutput, a]));
  const chain = [action.primaryOutput];
  const seen = new Set(chain);
  let current = action;
  while (current.via.length > 0 && chain.length < MAX_CHAIN) {
    const next = byOutput.get(current.via[0]);
    if (!next || seen.has(next.primaryOutput)) break;
    chain.push(next.primaryOutput);
    seen.add(next.primaryOutput);
    current = next;
  }
  return chain.reverse();
}
