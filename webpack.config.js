// Bundles the extension (src/extension.ts) and the CLI (src/cli/main.ts) into dist/.
'use strict';
const path = require('node:path');
const webpack = require('webpack');

/** @type {import('webpack').Configuration} */
const common = {
  target: 'node',
  mode: 'none',
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: [{ loader: 'ts-loader', options: { transpileOnly: true } }],
      },
    ],
  },
  devtool: 'nosources-source-map',
  infrastructureLogging: { level: 'log' },
};

module.exports = [
  {
    ...common,
    entry: { extension: './src/extension.ts' },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      libraryTarget: 'commonjs2',
    },
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
