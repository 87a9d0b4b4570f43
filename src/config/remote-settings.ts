import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRcChain } from './bazelrc/chain';
import { planBazelDisable, planBazelSet } from './bazelrc/edit';
import { effectiveBazelSettings } from './bazelrc/effective';
import { effectiveBuckSettings, loadBuckFiles } from './buck/effective';
import { planBuckDisable, planBuckSet } from './buck/edit';
import type { EditPlan } from './edit-plan';
import { effectivePantsSettings } from './pants/effective';
import { planPantsDisable, planPantsSet } from './pants/edit';
import { loadPantsFiles } from './pants/files';
import type { EffectiveReport } from './report';
import { checkEndpoint, checkSupported, type RemoteSettings, type Tool } from './settings';

/**
 * The one entry point for reading and editing remote settings, for the CLI and the editor's
 * form alike: read what is in effect (with sources), plan a change, show its diff
 * (renderPlanDiff), apply it (applyPlan).
 */
export interface WorkspaceOptions {
  workspace: string;
  tool: Tool;
  /** Bazel: `build:NAME` lines; Pants: the overlay pants.NAME.toml; Buck2: .buckconfig.NAME. */
  config: string | null;
  env: NodeJS.ProcessEnv;
  /** Bazel's system rc (default /etc/bazel/bazelrc); null skips it. For tests. */
  systemRc?: string | null;
  /** Home directory for ~/.bazelrc, ~/.pants.rc, ~/.buckconfig.*; null skips them. */
  homeDir?: string | null;
  /** Bazel's version, for try-import-if-bazel-version; default: .bazelversion, else unknown. */
  bazelVersion?: string | null;
}

/** The version a workspace pins in .bazelversion (as Bazelisk reads it), or null. */
function pinnedBazelVersion(workspace: string): string | null {
  try {
    const v = fs.readFileSync(path.join(workspace, '.bazelversion'), 'utf8').trim();
    return /^\d+(\.\d+)*/.test(v) ? v : null;
  } catch {
    return null;
  }
}

function bazelOptions(o: WorkspaceOptions) {
  return {
    workspace: path.resolve(o.workspace),
    config: o.config,
    systemRc: o.systemRc,
    homeRc:
      o.homeDir === undefined
        ? undefined
        : o.homeDir === null
          ? null
          : path.join(o.homeDir, '.bazelrc'),
    bazelVersion:
      o.bazelVersion === undefined ? pinnedBazelVersion(path.resolve(o.workspace)) : o.bazelVersion,
  };
}

export function readRemoteSettings(o: WorkspaceOptions): EffectiveReport {
  const workspace = path.resolve(o.workspace);
  switch (o.tool) {
    case 'bazel': {
      const chain = loadRcChain(bazelOptions(o));
      const e = effectiveBazelSettings(chain, o.config);
      return {
        tool: 'bazel',
        single: e.single,
        headers: e.headers,
        platform: e.platform,
        files: chain.files.map((f) => f.displayPath),
        warnings: [...chain.warnings, ...e.warnings],
      };
    }
    case 'pants': {
      const opts = { ...o, workspace };
      return effectivePantsSettings(loadPantsFiles(opts), opts);
    }
    case 'buck2': {
      const opts = { ...o, workspace };
      return effectiveBuckSettings(loadBuckFiles(opts), opts);
    }
  }
}

/** Checks the settings against the tool's table and the URL rules, then plans the edit. */
export function planRemoteSet(o: WorkspaceOptions, settings: RemoteSettings): EditPlan {
  checkSupported(o.tool, settings);
  if (settings.executor !== undefined) checkEndpoint('--executor', settings.executor);
  if (settings.cache !== undefined) checkEndpoint('--cache', settings.cache);
  if (settings.besBackend !== undefined) checkEndpoint('--bes-backend', settings.besBackend);
  const workspace = path.resolve(o.workspace);
  switch (o.tool) {
    case 'bazel':
      return planBazelSet(bazelOptions(o), settings);
    case 'pants':
      return planPantsSet({ ...o, workspace }, settings);
    case 'buck2':
      return planBuckSet({ ...o, workspace }, settings);
  }
}

/** Plans removing exactly what `set` added for this tool and scope. */
export function planRemoteDisable(o: WorkspaceOptions): EditPlan {
  const workspace = path.resolve(o.workspace);
  switch (o.tool) {
    case 'bazel':
      return planBazelDisable(bazelOptions(o));
    case 'pants':
      return planPantsDisable({ ...o, workspace });
    case 'buck2':
      return planBuckDisable({ ...o, workspace });
  }
}
