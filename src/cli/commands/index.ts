import type { Command } from '../command';
import { logCommand } from './log';
import { remoteCommand } from './remote';

/** Every `rbl` subcommand, in the order `rbl --help` lists them. */
export const commands: Command[] = [logCommand, remoteCommand];
