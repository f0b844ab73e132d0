#!/usr/bin/env node
// ccsso's npm launcher. The install step (install.cjs) normally replaces this file with the native
// binary, so the command on PATH starts ccsso directly (git's credential helper must not wait for Node).
// This file stays only where that could not happen (npm --ignore-scripts, Windows): it runs the binary
// from this platform's package.
"use strict";
const { binaryPath } = require("../platform.cjs");
const path = require("node:path");
let binary;
try {
  binary = binaryPath();
} catch (e) {
  process.stderr.write(`ccsso: ${e.message}\n`);
  process.exit(1);
}
const r = require("node:child_process").spawnSync(binary, process.argv.slice(2), {
  stdio: "inherit",
  // The program knows itself by its name: git-credential-ccsso and git-remote-codecommit too.
  argv0: path.basename(__filename),
});
if (r.error) {
  process.stderr.write(`ccsso: cannot start ${binary}: ${r.error.message}\n`);
  process.exit(1);
}
process.exit(r.status ?? 1);
