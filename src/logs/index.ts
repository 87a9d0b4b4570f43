export { detectLogFormat } from './detect';
export { readLog, type LogContents } from './read-log';
