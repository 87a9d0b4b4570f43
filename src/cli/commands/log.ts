import type { Command } from '../command';
import { say } from '../io';

// Placeholder until the log readers land (issue 3); replaced by the real command.
export const logCommand: Command = {
  name: 'log',
  summary: 'Decode an execution log or BEP file (any format Bazel writes)',
  help: 'Usage: rbl log FILE [--json]\n',
  run(_args, io) {
    say(io, 'log: not implemented yet');
    return Promise.resolve(2);
  },
};
