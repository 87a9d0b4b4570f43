export { testConnection, DEFAULT_TIMEOUT_MS } from './connection-test';
export type { ConnectionTestOptions, ConnectionTestResult } from './connection-test';
export type { Failure, FailureCode } from './failure';
export { parseEndpoint, redactUserInfo } from './endpoint';
export type { Endpoint } from './endpoint';
export type { CapabilitiesSummary } from './summarize-capabilities';
