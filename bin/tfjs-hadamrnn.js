#!/usr/bin/env node
// Launcher of the tfjs-hadamrnn CLI (src/cli/main.ts). In a checkout with dev dependencies it runs
// the TypeScript sources through tsx, so no build is needed; in an installed package it runs the
// built dist/cjs/cli/main.js.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli', 'main.ts');
const built = path.join(root, 'dist', 'cjs', 'cli', 'main.js');

function hasTsx() {
  try {
    require.resolve('tsx/cjs');
    return true;
  } catch {
    return false;
  }
}

function load() {
  if (fs.existsSync(source) && hasTsx()) {
    require('tsx/cjs');
    return require(source);
  }
  if (!fs.existsSync(built)) {
    throw new Error(
      `tfjs-hadamrnn: neither tsx (dev dependency) nor ${built} found; run npm ci or npm run build`,
    );
  }
  return require(built);
}

load()
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
