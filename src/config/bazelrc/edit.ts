import * as path from 'node:path';
import { InputError } from '../../util/errors';
import type { EditPlan, FileChange } from '../edit-plan';
import {
  MARK,
  createdFileText,
  isOnlyCreatedLine,
  dominantEol,
  insertLines,
  joinLines,
  removeLines,
} from '../lines';
import {
  SECRETS_FILE_MODE,
  gitignoreAddition,
  gitignoreRemoval,
  looseModeWarning,
} from '../secrets-file';
import type { RemoteSettings } from '../settings';
import {
  byteOffset,
  isInside,
  originOf,
  readTextFile,
  type TextFile,
  type TextOrigin,
} from '../text-file';
import { loadRcChain, type RcChainOptions } from './chain';
import {
  HEADER_FLAGS,
  PLATFORM_FLAG,
  SINGLE_FLAGS,
  effectiveBazelSettings,
  splitFlag,
  type BazelEffective,
} from './effective';
import type { SingleKey, Sourced } from '../report';
import { toLines, isMarked } from './marked';
import { parseBazelrc, quoteRcWord } from './parse';
import { chooseSecretsFile } from './secrets-target';

export interface BazelEditOptions extends RcChainOptions {
  /** `build:NAME` lines when set; plain `build` lines otherwise. */
  config: string | null;
}

/** One flag we want in effect; `key` tells which existing marked line it replaces. */
interface WantedFlag {
  key: string;
  word: string;
  /** Whether the value is already in effect without our help. */
  inEffect: (e: BazelEffective) => boolean;
  /** Where the value in effect comes from. */
  source: (e: BazelEffective) => Sourced | undefined;
}

/** The flags that choose the download mode; one marked line holds whichever we wrote. */
const DOWNLOAD_FLAGS = [
  'remote_download_outputs',
  'remote_download_minimal',
  'remote_download_toplevel',
];

const FLAG_OF: Record<SingleKey, string> = Object.fromEntries(
  Object.entries(SINGLE_FLAGS).map(([flag, key]) => [key, flag]),
) as Record<SingleKey, string>;

/** The identity of a flag word: its name, plus the key before '=' for repeatable flags. */
function flagKey(word: string): string | null {
  const flag = splitFlag(word);
  if (!flag) return null;
  if (DOWNLOAD_FLAGS.includes(flag.name)) return 'remote_download_outputs';
  if (flag.name === PLATFORM_FLAG || HEADER_FLAGS.includes(flag.name)) {
    return `${flag.name}=${(flag.value ?? '').split('=')[0]}`;
  }
  return flag.name;
}

function wantedFlags(settings: RemoteSettings): { plain: WantedFlag[]; secret: WantedFlag[] } {
  const plain: WantedFlag[] = [];
  const single: [SingleKey, string | number | undefined][] = [
    ['executor', settings.executor],
    ['cache', settings.cache],
    ['instance', settings.instance],
    ['tlsCa', settings.tlsCa],
    ['tlsCert', settings.tlsCert],
    ['tlsKey', settings.tlsKey],
    ['jobs', settings.jobs],
    ['downloadMode', settings.downloadMode],
    ['besBackend', settings.besBackend],
  ];
  for (const [key, value] of single) {
    if (value === undefined) continue;
    const v = String(value);
    plain.push({
      key: FLAG_OF[key],
      // Bazel 4's --remote_download_outputs=minimal fails without the in-memory jdeps/dotd
      // flags that the --remote_download_minimal / _toplevel expansions turn on.
      word:
        key === 'downloadMode' && v !== 'all' ? `--remote_download_${v}` : `--${FLAG_OF[key]}=${v}`,
      inEffect: (e) => e.single[key]?.value === v,
      source: (e) => e.single[key],
    });
  }
  for (const [k, v] of Object.entries(settings.platform ?? {})) {
    plain.push({
      key: `${PLATFORM_FLAG}=${k}`,
      word: `--${PLATFORM_FLAG}=${k}=${v}`,
      inEffect: (e) => e.platform[k]?.value === v,
      source: (e) => e.platform[k],
    });
  }
  const secret = Object.entries(settings.headers ?? {}).map(([k, v]) => ({
    key: `remote_header=${k}`,
    word: `--remote_header=${k}=${v}`,
    inEffect: (e: BazelEffective) => e.headers[k]?.value === v,
    source: (e: BazelEffective) => e.headers[k],
  }));
  return { plain, secret };
}

/** A file being edited: its state on disk and its lines so far. */
interface Pending {
  file: TextFile;
  text: string;
}

/** Header values found in an rc text, so diffs can hide them even in context lines. */
export function headerSecretsIn(text: string): string[] {
  const out: string[] = [];
  for (const line of parseBazelrc(text).lines) {
    line.words.forEach((w, i) => {
      const flag = splitFlag(w.value);
      if (!flag || !HEADER_FLAGS.includes(flag.name)) return;
      const v = flag.value ?? line.words[i + 1]?.value ?? '';
      const eq = v.indexOf('=');
      if (eq > 0 && eq + 1 < v.length) out.push(v.slice(eq + 1));
    });
  }
  return out;
}

/**
 * Updates our marked lines for `directive` in place, and appends the missing ones. `file`
 * is the rc file the text belongs to, for naming it when the text cannot be edited.
 */
function upsert(
  text: string,
  file: string | TextOrigin,
  directive: string,
  wanted: WantedFlag[],
  before: BazelEffective,
): string {
  const doc = parseBazelrc(text);
  let lines = toLines(text, doc);
  const append: string[] = [];
  let lastOurs = -1;
  const ours = new Map<string, number>();
  doc.lines.forEach((l, i) => {
    if (!isMarked(text, l) || l.words.length < 2 || l.words[0].value !== directive) return;
    const key = flagKey(l.words[1].value);
    if (key !== null && !ours.has(key)) ours.set(key, i);
    lastOurs = i;
  });
  for (const w of wanted) {
    const text = `${quoteRcWord(directive)} ${quoteRcWord(w.word)} # ${MARK}`;
    const at = ours.get(w.key);
    if (at !== undefined) lines[at] = { ...lines[at], text };
    else if (!w.inEffect(before)) append.push(text);
  }
  if (append.length > 0) {
    const at = lastOurs >= 0 ? lastOurs + 1 : lines.length;
    const last = lines[lines.length - 1];
    if (at === lines.length && last && last.eol === '' && last.text.endsWith('\\')) {
      // Bazel would join a line added after a dangling backslash to the line before it.
      // The last line is the user's (ours never end in a backslash), so the backslash is
      // the file's last byte whatever we changed above it.
      const origin = originOf(file, text);
      throw new InputError(
        'ends with a backslash and no newline, so a line added after it would join it; end the file with a newline first',
        origin.displayPath,
        byteOffset(origin, text, text.length - 1),
      );
    }
    lines = insertLines(lines, at, append, text === '' ? '\n' : dominantEol(text));
  }
  return joinLines(lines);
}

/**
 * Pure form of `set` on one rc text: our marked `directive --flag=value` lines, updated in
 * place or appended. Used by `planBazelSet` and by the property tests; `file` names the
 * text in errors.
 */
export function setMarkedFlags(
  text: string,
  directive: string,
  words: readonly string[],
  file: string | TextOrigin = '.bazelrc',
): string {
  const wanted = words.map((word) => ({
    key: flagKey(word) ?? word,
    word,
    inEffect: () => false,
    source: () => undefined,
  }));
  return upsert(text, file, directive, wanted, {
    single: {},
    headers: {},
    platform: {},
    warnings: [],
  });
}

/** Pure form of `disable` on one rc text: removes our marked lines for `directive`. */
export function removeMarkedFlags(text: string, directive: string): string {
  const doc = parseBazelrc(text);
  const remove = new Set<number>();
  doc.lines.forEach((l, i) => {
    if (isMarked(text, l) && l.words[0]?.value === directive) remove.add(i);
  });
  return joinLines(removeLines(toLines(text, doc), remove));
}

/** Adds `try-import %workspace%/REL # rbl:remote` at the end of the main rc file. */
function addTryImport(p: Pending, workspace: string, target: string): void {
  const rel = path.relative(workspace, target).split(path.sep).join('/');
  const line = `try-import ${quoteRcWord(`%workspace%/${rel}`)} # ${MARK}`;
  const lines = toLines(p.text);
  p.text = joinLines(insertLines(lines, lines.length, [line], dominantEol(p.text)));
}

/** Plans `rbl remote set` for Bazel: marked lines in .bazelrc, headers in the secrets file. */
export function planBazelSet(options: BazelEditOptions, settings: RemoteSettings): EditPlan {
  const workspace = path.resolve(options.workspace);
  const chain = loadRcChain({ ...options, workspace });
  const before = effectiveBazelSettings(chain, options.config);
  const directive = options.config === null ? 'build' : `build:${options.config}`;
  const wanted = wantedFlags(settings);
  const pending = new Map<string, Pending>();
  const open = (file: TextFile): Pending => {
    const existing = pending.get(file.realPath);
    if (existing) return existing;
    const p = { file, text: file.text };
    pending.set(file.realPath, p);
    return p;
  };
  const main = open(readTextFile(workspace, path.join(workspace, '.bazelrc')));
  if (!main.file.exists) main.text = createdFileText();
  const extra: FileChange[] = [];
  let secretsWarning: string | null = null;
  if (wanted.plain.length > 0)
    main.text = upsert(main.text, main.file, directive, wanted.plain, before);
  if (wanted.secret.length > 0) {
    const choice = chooseSecretsFile(workspace, chain);
    const secretsFile = readTextFile(workspace, choice.path, SECRETS_FILE_MODE);
    secretsWarning = looseModeWarning(secretsFile);
    const secrets = open(secretsFile);
    if (!secretsFile.exists) secrets.text = createdFileText();
    secrets.text = upsert(secrets.text, secrets.file, directive, wanted.secret, before);
    if (choice.tryImport) addTryImport(main, workspace, choice.path);
    if (choice.gitignore) extra.push(gitignoreAddition(workspace, choice.path));
  }
  const plan = finish(pending, extra, Object.values(settings.headers ?? {}));
  if (secretsWarning) plan.warnings.push(secretsWarning);
  // Check the result as Bazel would read it, and say what still overrides a value we set.
  const overrides = new Map<string, string | null>();
  for (const p of pending.values()) {
    overrides.set(p.file.realPath, p.text);
    overrides.set(p.file.path, p.text);
  }
  const after = effectiveBazelSettings(
    loadRcChain({ ...options, workspace, overrides }),
    options.config,
  );
  for (const w of [...wanted.plain, ...wanted.secret]) {
    if (!w.inEffect(after)) {
      const from = w.source(after);
      plan.warnings.push(
        `${w.word.split('=')[0]} is set, but ${from ? `${from.file}:${from.line}` : 'a later rc line'} overrides it`,
      );
    }
  }
  return plan;
}

function finish(
  pending: Map<string, Pending>,
  extra: FileChange[],
  newSecrets: string[],
): EditPlan {
  const changes: FileChange[] = [];
  for (const p of pending.values()) {
    if (!p.file.exists && isOnlyCreatedLine(p.text)) continue;
    const secrets = [...newSecrets, ...headerSecretsIn(p.file.text), ...headerSecretsIn(p.text)];
    changes.push({ file: p.file, after: p.text, secrets });
  }
  return { changes: [...changes, ...extra], warnings: [] };
}

/** Plans `rbl remote disable` for Bazel: removes exactly the marked lines `set` added. */
export function planBazelDisable(options: BazelEditOptions): EditPlan {
  const workspace = path.resolve(options.workspace);
  const chain = loadRcChain({ ...options, workspace });
  const directive = options.config === null ? 'build' : `build:${options.config}`;
  const pending = new Map<string, Pending>();
  let oursLeft = false;
  const files = chain.files.filter((f) => f.kind !== 'system' && f.kind !== 'home');
  for (const f of files) {
    if (!isInside(workspace, f.path) || pending.has(f.path)) continue;
    const file = readTextFile(workspace, f.path);
    const doc = parseBazelrc(file.text);
    const remove = new Set<number>();
    doc.lines.forEach((l, i) => {
      if (!isMarked(file.text, l) || l.words.length === 0) return;
      if (l.words[0].value === directive) remove.add(i);
      else if (l.words[0].value !== 'try-import') oursLeft = true;
    });
    pending.set(f.path, { file, text: joinLines(removeLines(toLines(file.text, doc), remove)) });
  }
  const extra: FileChange[] = [];
  if (!oursLeft) {
    // Nothing of ours is left: take away the try-import, the .gitignore entry and the
    // secrets file we created, so the workspace is as it was before the first `set`.
    for (const p of pending.values()) {
      const doc = parseBazelrc(p.text);
      const remove = new Set<number>();
      doc.lines.forEach((l, i) => {
        if (isMarked(p.text, l) && l.words[0]?.value === 'try-import') remove.add(i);
      });
      p.text = joinLines(removeLines(toLines(p.text, doc), remove));
    }
    const ignore = gitignoreRemoval(workspace, [
      path.join(workspace, 'user.bazelrc'),
      ...files.map((f) => f.path),
    ]);
    if (ignore) extra.push(ignore);
  }
  const plan = finish(pending, extra, []);
  for (const c of plan.changes) {
    // A file that holds nothing but what we put there is one we created: delete it again.
    if (c.file.exists && c.after !== null && isOnlyCreatedLine(c.after)) {
      c.after = null;
    }
  }
  return plan;
}
