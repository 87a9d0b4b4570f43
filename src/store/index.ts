export {
  DEFAULT_LIMITS,
  HistoryStore,
  outputSetKey,
  type StoreLimits,
  type StoredInvocation,
  type StoredSummary,
} from './history-store';
export { spawnToJson, spawnsToJsonLog, type Redact } from './spawn-json';
