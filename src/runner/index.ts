export { findBazel, bazelSupport, type BazelSupport } from './bazel-binary';
export { runBuild, type BuildRequest, type BuildResult } from './build-session';
export { planBuild, type BuildPlan, type PlanRequest } from './plan';
