// Bundles the extension (src/extension.ts) and the CLI (src/cli/main.ts) into dist/.
'use strict';
const path = require('node:path');
const webpack = require('webpack');

/** TypeScript through ts-loader, with `compilerOptions` over tsconfig.json's. */
function typescript(compilerOptions = {}) {
  return {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: [{ loader: 'ts-loader', options: { transpileOnly: true, compilerOptions } }],
      },
    ],
  };
}

/** @type {import('webpack').Configuration} */
const common = {
  target: 'node',
  mode: 'none',
  resolve: { extensions: ['.ts', '.js'] },
  module: typescript(),
  devtool: 'nosources-source-map',
  infrastructureLogging: { level: 'log' },
};

module.exports = [
  {
    ...common,
    entry: { extension: './src/extension.ts' },
    // ES modules for webpack, so each `await import()` of the engine becomes a chunk of its own
    // that VS Code parses with the first build, not at activation.
    module: typescript({ module: 'es2020' }),
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      chunkFilename: 'extension-[name].js',
      libraryTarget: 'commonjs2',
      // Chunk ids change between builds: drop the old ones (the CLI bundle beside them stays).
      clean: { keep: /^rbl\./ },
    },
    // Modules the lazy parts share (gRPC, protobuf, the readers) go to chunks of their own once.
    optimization: { splitChunks: { chunks: 'async' } },
    externals: { vscode: 'commonjs vscode' },
  },
  {
    ...common,
    entry: { rbl: './src/cli/main.ts' },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      libraryTarget: 'commonjs2',
    },
    // The bundle is the entry point here, so `require.main === module` must hold inside it.
    plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true })],
  },
];
