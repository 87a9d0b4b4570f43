import { resolve } from 'node:path';
import { parseFlags } from '../args';
import { printJson, say } from '../io';
import type { Command } from '../command';
import { UsageError } from '../../util/errors';
import { readLog, type LogContents } from '../../logs';
import { formatListing } from '../../logs/listing';

const HELP = `Usage: rbl log FILE [--json]

Decodes any execution log or BEP file Bazel writes; the format is found from the content, not
the name: execution logs (binary SpawnExec, JSON as Bazel 4.x writes it or one per line, compact
zstd ExecLogEntry of Bazel 7.x/8.x) and BEP files (binary, JSON one event per line, pretty-printed
JSON concatenated). A 0-byte file is a valid empty log.

Without --json the listing goes to stdout: per spawn its mnemonic, label or progress message,
runner, cache hit, exit code and outputs; for a BEP file the events by kind, targets, tests and
failures.

  --json   print one JSON object on stdout:
           {"format": "spawn-binary"|"spawn-json"|"compact"|"bep-binary"|"bep-json"|"empty",
            "spawns": [{"mnemonic","label","progressMessage","outputs","runner","cacheHit","exitCode"}],
            "events": {"<BEP id kind>": count}, "error": null | {"message", "offset"}}

Exit codes: 0 read completely; 2 unreadable, truncated or corrupt file: everything before the
damage is still printed, and one "rbl: FILE: at byte N: ..." line goes to stderr. In a compact
log, N counts decompressed bytes for a damaged record and compressed bytes for damaged zstd.
A file that cannot be read at all prints nothing on stdout.
`;

function toJson(contents: LogContents) {
  return {
    format: contents.format,
    spawns: contents.spawns.map((s) => ({
      mnemonic: s.mnemonic,
      label: s.label,
      progressMessage: s.progressMessage,
      outputs: s.listedOutputs,
      runner: s.runner,
      cacheHit: s.cacheHit,
      exitCode: s.exitCode,
    })),
    events: contents.events,
    error: contents.error
      ? { message: contents.error.message, offset: contents.error.offset ?? null }
      : null,
  };
}

export const logCommand: Command = {
  name: 'log',
  summary: 'Decode an execution log or BEP file (any format Bazel writes)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? 'log: missing FILE (see rbl log --help)'
          : 'log: expected one FILE',
      );
    }
    const path = positionals[0];
    const contents = await readLog(resolve(io.cwd, path));
    if (values.json) printJson(io, toJson(contents));
    else io.stdout.write(`${formatListing(path, contents).join('\n')}\n`);
    if (contents.error) {
      say(io, contents.error.describe());
      return 2;
    }
    return 0;
  },
};
