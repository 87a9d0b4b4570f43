#!/usr/bin/env node
// The `rbl` command: the bundled CLI (dist/rbl.js, built by `npm run build`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'rbl.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    'rbl: not built yet; run `npm run build` in ' + path.dirname(__dirname) + '\n',
  );
  process.exit(2);
}
require(bundle);
