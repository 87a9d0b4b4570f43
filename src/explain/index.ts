/** Cache-miss explanation: read → diff → render, as separate stages. */
export { explainSpawns, type ExplainOptions } from './explain';
export { readSpawnsForExplain } from './read';
export { findAction, type ActionReport } from './action-lookup';
export { renderSummary, renderAction, describeCause } from './render-text';
export * from './types';
