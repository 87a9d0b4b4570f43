/**
 * Reads a Bazel command line the way Bazel's client does: startup options, the command, then
 * command options and targets, with `--` ending the options. Used to find what the user already
 * asked for (an execution log, a BEP file, a BES backend, ids) before adding our own flags.
 */
export interface BazelCommandLine {
  startup: string[];
  /** `build`, `test`, ...; null when there is none. */
  command: string | null;
  /** Options and targets after the command, up to `--`. */
  args: string[];
  /** `--` and what follows it (targets, or `bazel run` arguments), unchanged. */
  tail: string[];
}

export function splitCommandLine(argv: readonly string[]): BazelCommandLine {
  const i = argv.findIndex((a) => !a.startsWith('-'));
  if (i < 0) return { startup: [...argv], command: null, args: [], tail: [] };
  const rest = argv.slice(i + 1);
  const dd = rest.indexOf('--');
  return {
    startup: argv.slice(0, i),
    command: argv[i] ?? null,
    args: dd >= 0 ? rest.slice(0, dd) : rest,
    tail: dd >= 0 ? rest.slice(dd) : [],
  };
}

/** One `--name=value` / `--name value` / `--[no]name` occurrence. */
export interface FlagUse {
  name: string;
  value: string;
  /** Indexes in the list it came from (one, or two for the spaced form). */
  indexes: number[];
}

/** Flags whose value we need to know; every other word is left alone. */
const VALUED = new Set([
  'execution_log_json_file',
  'execution_log_binary_file',
  'execution_log_compact_file',
  'experimental_execution_log_compact_file',
  'experimental_execution_log_file',
  'build_event_binary_file',
  'build_event_json_file',
  'bes_backend',
  'bes_results_url',
  'bes_timeout',
  'invocation_id',
  'build_request_id',
  'disk_cache',
  'profile',
  'remote_cache',
  'remote_executor',
  'config',
]);

/** Finds the flags we care about in an option list (for rc files and the command line alike). */
export function findFlags(words: readonly string[]): FlagUse[] {
  const found: FlagUse[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const m = /^--([a-z_]+)(?:=(.*))?$/s.exec(word);
    if (!m?.[1]) continue;
    const name = m[1];
    if (
      name === 'build_event_publish_all_actions' ||
      name === 'nobuild_event_publish_all_actions'
    ) {
      found.push({
        name: 'build_event_publish_all_actions',
        value: name.startsWith('no') ? 'false' : (m[2] ?? 'true'),
        indexes: [i],
      });
      continue;
    }
    if (!VALUED.has(name)) continue;
    if (m[2] !== undefined) found.push({ name, value: m[2], indexes: [i] });
    else if (i + 1 < words.length) {
      found.push({ name, value: words[i + 1] ?? '', indexes: [i, i + 1] });
      i++;
    }
  }
  return found;
}

/** The last value of `name` among `uses`, or undefined. */
export function lastFlag(uses: readonly FlagUse[], name: string): string | undefined {
  let value: string | undefined;
  for (const u of uses) if (u.name === name) value = u.value;
  return value;
}
