#!/usr/bin/env node
// tsc resolves src/gen/protos.js through its .d.ts and so never emits it; copy it next to
// the compiled code that requires it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const dest = path.join(root, 'out', 'src', 'gen');
fs.mkdirSync(dest, { recursive: true });
fs.copyFileSync(path.join(root, 'src', 'gen', 'protos.js'), path.join(dest, 'protos.js'));
