import type { Command } from '../command';
import { buildCommand } from './build';
import { explainCommand } from './explain';
import { logCommand } from './log';
import { remoteCommand } from './remote';
import { serveCommand } from './serve';
import './remote-config';
import './remote-test';

/** Every `rbl` subcommand, in the order `rbl --help` lists them. */
export const commands: Command[] = [
  buildCommand,
  serveCommand,
  logCommand,
  explainCommand,
  remoteCommand,
];
