export { BuildModel, type BuildModelOptions } from './build-model';
export * from './types';
