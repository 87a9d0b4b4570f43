/** Cache-miss explanation: read → diff → render, as separate stages. */
export { explainSpawns, explainStreamed, type ExplainOptions } from './explain';
export { readSpawnsForExplain, streamSpawnsForExplain } from './read';
export {
  BASELINE_ARG,
  baselineSpawns,
  findHistoryStore,
  invocationSpawns,
  isStoredInvocation,
} from './history-sides';
export { findAction, type ActionReport } from './action-lookup';
export { ExplanationIndex, type TargetExplanation } from './explanation-index';
export { SpawnInterner } from './intern';
export { redactActionReport, redactSummary, redactText } from './redact';
export { renderSummary, renderAction, describeCause } from './render-text';
export { renderSummaryMarkdown, renderActionMarkdown, type LinkFor } from './render-markdown';
export * from './types';
