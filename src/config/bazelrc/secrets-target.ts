import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { secretsFileGitState } from '../secrets-file';
import { isInside } from '../text-file';
import type { RcChain } from './chain';
import { isMarked } from './marked';

/** Names projects give their private rc file (user.bazelrc, .bazelrc.user, .bazelrc.auth…). */
const SECRETS_NAME = /user|auth|local|secret|private/i;

export interface SecretsChoice {
  path: string;
  tryImport: boolean;
  gitignore: boolean;
}

/**
 * Picks the file header values go to: an existing try-import target inside the workspace
 * that git ignores (outside a git repository: one named like a private file); else
 * `user.bazelrc`, created 0600, ignored and try-imported. Refuses when that one is tracked.
 */
export function chooseSecretsFile(workspace: string, chain: RcChain): SecretsChoice {
  const candidates = chain.imports.filter(
    (i) => i.optional && isInside(workspace, i.target) && i.importer.kind !== 'home',
  );
  const withOurs = candidates.filter((c) => {
    const f = chain.files.find((x) => x.path === c.target);
    return f?.doc.lines.some((l) => isMarked(f.doc.text, l) && l.words.length > 0);
  });
  const tracked: string[] = [];
  for (const c of [...withOurs, ...candidates]) {
    const state = secretsFileGitState(workspace, c.target);
    // Outside git nothing says which file is private: trust only names meant for it.
    const privateName = SECRETS_NAME.test(path.basename(c.target));
    if (state === 'ignored' || (state === 'no-repo' && privateName)) {
      return { path: c.target, tryImport: false, gitignore: false };
    }
    if (state === 'tracked') tracked.push(path.relative(workspace, c.target));
  }
  const fallback = path.join(workspace, 'user.bazelrc');
  const state = secretsFileGitState(workspace, fallback);
  if (state === 'tracked') {
    const others = tracked.filter((t) => t !== 'user.bazelrc');
    throw new InputError(
      `user.bazelrc is tracked by git${others.length > 0 ? ` (and so is ${others.join(', ')})` : ''}, so a header value written there would be committed; untrack it (git rm --cached user.bazelrc), add it to .gitignore, and run again`,
      '--header',
    );
  }
  return {
    path: fallback,
    tryImport: !chain.imports.some((i) => i.target === fallback),
    gitignore: state === 'untracked',
  };
}
