export { BesForwarder, parseForwardUrl, type ForwardTarget } from './forward';
export type { LifecycleEvent } from './lifecycle';
export { MASK, Redactor } from './redact';
export {
  BesSink,
  MAX_MESSAGE_BYTES,
  type SinkEvent,
  type SinkOptions,
  type SinkProblem,
} from './sink';
