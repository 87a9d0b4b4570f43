// The writing process of the kill loop (kill-loop.test.ts): applies `rbl remote set` and
// `disable` to one workspace through src/config's public API, over and over, until killed.
// It prints one line when it starts writing, so the parent's random delay counts from there.
import {
  applyPlan,
  planRemoteDisable,
  planRemoteSet,
  type WorkspaceOptions,
} from '../../../src/config';

const workspace = process.argv[2];
if (!workspace) throw new Error('usage: writer-child WORKSPACE');
const options: WorkspaceOptions = {
  workspace,
  tool: 'bazel',
  config: null,
  env: {},
  systemRc: null,
  homeDir: null,
};
process.stdout.write('writing\n');
for (;;) {
  applyPlan(planRemoteSet(options, { executor: 'grpcs://re.example.com:443', instance: 'main' }));
  applyPlan(planRemoteDisable(options));
}
