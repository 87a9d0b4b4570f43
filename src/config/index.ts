/**
 * Remote settings for Bazel, Pants and Buck2: read what is in effect (with the file and line
 * of each value), plan a change, show its diff, apply it. The CLI (`rbl remote get|set|
 * disable`) and the editor's form both use exactly this API:
 *
 *   const report = readRemoteSettings(opts);          // what is in effect, with sources
 *   const plan = planRemoteSet(opts, settings);       // throws InputError for bad input
 *   show(renderPlanDiff(plan), plan.warnings);        // secrets shown as ***
 *   applyPlan(plan);                                  // atomic; refuses if a file changed since
 */
export {
  applyPlan,
  changedFiles,
  planFileDiffs,
  renderPlanDiff,
  type EditPlan,
  type FileChange,
} from './edit-plan';
export {
  reportToJson,
  SINGLE_KEYS,
  type EffectiveReport,
  type SingleKey,
  type Sourced,
} from './report';
export {
  planRemoteDisable,
  planRemoteSet,
  readRemoteSettings,
  type WorkspaceOptions,
} from './remote-settings';
export {
  SETTING_FLAGS,
  SETTING_NAMES,
  SUPPORT,
  TOOLS,
  checkEndpoint,
  checkSupported,
  redactUrl,
  type DownloadMode,
  type RemoteSettings,
  type SettingName,
  type Tool,
} from './settings';
