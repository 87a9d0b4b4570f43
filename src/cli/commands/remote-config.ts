import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, UsageError } from '../../util/errors';
import { parseFlags } from '../args';
import { printJson, say, type CliIO } from '../io';
import { registerRemoteVerb } from './remote';
import {
  TOOLS,
  applyPlan,
  changedFiles,
  planRemoteDisable,
  planRemoteSet,
  readRemoteSettings,
  renderPlanDiff,
  reportToJson,
  type DownloadMode,
  type RemoteSettings,
  type Tool,
  type WorkspaceOptions,
} from '../../config';

const COMMON = {
  workspace: { type: 'string' },
  tool: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  'system-rc': { type: 'string' },
  home: { type: 'string' },
} as const;

const COMMON_HELP = [
  '  --workspace DIR     the workspace root (default: the current directory)',
  '  --tool T            bazel, pants or buck2 (default: detected from the files in DIR)',
  '  --config NAME       Bazel: build:NAME lines; Pants: the overlay pants.NAME.toml;',
  '                      Buck2: the file .buckconfig.NAME (for --config-file)',
  '  --json              print one JSON object on stdout',
  '  --system-rc PATH    Bazel system rc file (default /etc/bazel/bazelrc; "" to skip)',
  '  --home DIR          home directory for ~/.bazelrc, ~/.pants.rc, ~/.buckconfig.* ("" to skip)',
];

/** Guesses the tool from the workspace's files when --tool is not given. */
function detectTool(workspace: string): Tool {
  const has = (n: string) => fs.existsSync(path.join(workspace, n));
  if (['.bazelrc', 'WORKSPACE', 'WORKSPACE.bazel', 'MODULE.bazel'].some(has)) return 'bazel';
  if (has('pants.toml')) return 'pants';
  if (has('.buckconfig')) return 'buck2';
  throw new UsageError(
    'cannot tell the build tool of the workspace; pass --tool bazel|pants|buck2',
  );
}

function workspaceOptions(values: Record<string, unknown>, io: CliIO): WorkspaceOptions {
  const workspace = path.resolve(
    io.cwd,
    typeof values.workspace === 'string' ? values.workspace : '.',
  );
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) {
    throw new InputError('is not a directory', workspace);
  }
  const tool = values.tool;
  if (tool !== undefined && !TOOLS.includes(tool as Tool)) {
    throw new UsageError(`--tool must be bazel, pants or buck2, not '${String(tool)}'`);
  }
  const config = typeof values.config === 'string' ? values.config : null;
  if (config === '') throw new UsageError('--config needs a name');
  const pathOrNull = (v: unknown) =>
    v === undefined ? undefined : v === '' ? null : path.resolve(io.cwd, String(v));
  return {
    workspace,
    tool: (tool as Tool | undefined) ?? detectTool(workspace),
    config,
    env: io.env,
    systemRc: pathOrNull(values['system-rc']),
    // The home of the environment we were given (tests and the extension pass their own).
    homeDir: values.home === undefined ? io.env.HOME : pathOrNull(values.home),
  };
}

function pairs(flag: string, list: unknown): Record<string, string> | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list as string[]) {
    const eq = item.indexOf('=');
    // Never echo the argument: for --header its value is a secret.
    if (eq <= 0) throw new InputError('expected NAME=VALUE', flag);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const getVerb = {
  name: 'get',
  summary: 'Show the remote settings in effect and the file each comes from',
  help: [
    'Usage: rbl remote get [--workspace DIR] [--tool T] [--config NAME] [--json]',
    '',
    'Reads every file the tool reads (Bazel: system, workspace and home rc files and their',
    'imports; Pants: pants.toml, overlays, pantsrc files; Buck2: .buckconfig.d/, .buckconfig,',
    '.buckconfig.local) and prints what is in effect. Header values are never printed.',
    '',
    ...COMMON_HELP,
    '',
  ].join('\n'),
  run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(args, COMMON, { allowPositionals: false });
    const report = readRemoteSettings(workspaceOptions(values, io));
    const json = reportToJson(report);
    if (values.json) {
      printJson(io, json);
      return Promise.resolve(0);
    }
    for (const [k, v] of Object.entries(json)) {
      if (k === 'tool' || k === 'sources' || k === 'warnings') continue;
      io.stdout.write(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
    }
    for (const w of report.warnings) say(io, `warning: ${w}`);
    return Promise.resolve(0);
  },
};

const SET_FLAGS = {
  ...COMMON,
  executor: { type: 'string' },
  cache: { type: 'string' },
  instance: { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  header: { type: 'string', multiple: true },
  platform: { type: 'string', multiple: true },
  jobs: { type: 'string' },
  download: { type: 'string' },
  'bes-backend': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

function settingsFrom(values: Record<string, unknown>): RemoteSettings {
  const s: RemoteSettings = {};
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  s.executor = str('executor');
  s.cache = str('cache');
  s.instance = str('instance');
  s.tlsCa = str('tls-ca');
  s.tlsCert = str('tls-cert');
  s.tlsKey = str('tls-key');
  s.besBackend = str('bes-backend');
  s.headers = pairs('--header', values.header);
  s.platform = pairs('--platform', values.platform);
  const jobs = str('jobs');
  if (jobs !== undefined) {
    if (!/^[1-9]\d*$/.test(jobs))
      throw new InputError(`expected a positive number, not '${jobs}'`, '--jobs');
    s.jobs = Number(jobs);
  }
  const download = str('download');
  if (download !== undefined) {
    if (!['minimal', 'toplevel', 'all'].includes(download)) {
      throw new InputError(`expected minimal, toplevel or all, not '${download}'`, '--download');
    }
    s.downloadMode = download as DownloadMode;
  }
  for (const k of Object.keys(s) as (keyof RemoteSettings)[]) if (s[k] === undefined) delete s[k];
  return s;
}

function report(
  io: CliIO,
  json: boolean,
  plan: ReturnType<typeof planRemoteSet>,
  dryRun: boolean,
): number {
  const diff = renderPlanDiff(plan);
  const files = changedFiles(plan).map((c) => c.file.displayPath);
  if (!dryRun) applyPlan(plan);
  if (json) {
    printJson(io, { changed: files, dryRun, diff, warnings: plan.warnings });
  } else {
    if (dryRun) io.stdout.write(diff);
    say(
      io,
      files.length === 0
        ? 'nothing to change'
        : `${dryRun ? 'would change' : 'changed'} ${files.join(', ')}`,
    );
  }
  if (!json) for (const w of plan.warnings) say(io, `warning: ${w}`);
  return 0;
}

const setVerb = {
  name: 'set',
  summary: 'Turn on remote caching / execution by editing the tool’s files losslessly',
  help: [
    'Usage: rbl remote set [--workspace DIR] [--tool T] [--config NAME] [--executor URL]',
    '         [--cache URL] [--instance NAME] [--tls-ca PATH] [--tls-cert PATH] [--tls-key PATH]',
    '         [--header NAME=VALUE]... [--platform KEY=VALUE]... [--jobs N]',
    '         [--download minimal|toplevel|all] [--bes-backend URL] [--dry-run] [--json]',
    '',
    'Changes only the settings given; every other byte of every file stays as it was. Lines',
    'it adds carry a `# rbl:remote` marker (Buck2: a marked block), so `rbl remote disable`',
    'removes exactly them. Header values go only to a secrets file git ignores. A setting the',
    'tool cannot express exits 2 naming it (see docs/REMOTE-SETTINGS.md).',
    '',
    ...COMMON_HELP,
    '  --dry-run           print the unified diff and write nothing',
    '',
  ].join('\n'),
  run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(args, SET_FLAGS, { allowPositionals: false });
    const settings = settingsFrom(values);
    if (Object.keys(settings).length === 0) {
      throw new UsageError('remote set: give at least one setting (e.g. --cache grpcs://host:443)');
    }
    const plan = planRemoteSet(workspaceOptions(values, io), settings);
    return Promise.resolve(report(io, values.json === true, plan, values['dry-run'] === true));
  },
};

const disableVerb = {
  name: 'disable',
  summary: 'Remove exactly what `rbl remote set` added',
  help: [
    'Usage: rbl remote disable [--workspace DIR] [--tool T] [--config NAME] [--dry-run] [--json]',
    '',
    ...COMMON_HELP,
    '  --dry-run           print the unified diff and write nothing',
    '',
  ].join('\n'),
  run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(args, { ...COMMON, 'dry-run': { type: 'boolean' } } as const, {
      allowPositionals: false,
    });
    const plan = planRemoteDisable(workspaceOptions(values, io));
    return Promise.resolve(report(io, values.json === true, plan, values['dry-run'] === true));
  },
};

registerRemoteVerb(getVerb);
registerRemoteVerb(setVerb);
registerRemoteVerb(disableVerb);
