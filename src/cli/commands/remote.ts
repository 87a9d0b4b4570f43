import type { Command } from '../command';
import { UsageError } from '../../util/errors';

/** A `rbl remote <verb>` handler; each verb lives in its own module. */
export interface RemoteVerb {
  name: string;
  summary: string;
  help: string;
  run: Command['run'];
}

const verbs: RemoteVerb[] = [];

/** Called by each verb's module (get/set/disable in remote-config.ts, test in remote-test.ts). */
export function registerRemoteVerb(verb: RemoteVerb): void {
  verbs.push(verb);
}

function help(): string {
  return [
    'Usage: rbl remote <get|set|disable|test> [options]',
    '',
    ...verbs.map((v) => `  ${v.name.padEnd(8)} ${v.summary}`),
    '',
    'Run `rbl remote <verb> --help` for its options.',
    '',
  ].join('\n');
}

export const remoteCommand: Command = {
  name: 'remote',
  summary: 'Read, change and test remote cache / execution settings',
  get help() {
    return help();
  },
  async run(args, io) {
    const [name, ...rest] = args;
    const verb = verbs.find((v) => v.name === name);
    if (!verb)
      throw new UsageError(
        `remote: unknown verb '${name ?? ''}' (expected get, set, disable or test)`,
      );
    if (rest[0] === '--help' || rest[0] === '-h') {
      io.stdout.write(verb.help);
      return 0;
    }
    return verb.run(rest, io);
  },
};
