// postinstall: puts the native binary in place of the launcher in bin/ (npm links the commands on PATH
// to these files), so `ccsso`, `git-credential-ccsso` and `git-remote-codecommit` start the program
// itself, with no Node process in between. Windows keeps the launcher: npm starts commands there through
// .cmd shims that run node. A failure here leaves the launcher, which still works (only slower).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { binaryPath } = require("./platform.cjs");

if (process.platform !== "win32") {
  let binary;
  try {
    binary = binaryPath();
  } catch (e) {
    process.stderr.write(`ccsso: ${e.message}\n`);
    process.exit(0);
  }
  for (const name of ["ccsso", "git-credential-ccsso", "git-remote-codecommit"]) {
    const dest = path.join(__dirname, "bin", name);
    const temp = `${dest}.new-${process.pid}`;
    try {
      try {
        fs.linkSync(binary, temp);
      } catch {
        fs.copyFileSync(binary, temp);
      }
      fs.chmodSync(temp, 0o755);
      fs.renameSync(temp, dest);
    } catch (e) {
      fs.rmSync(temp, { force: true });
      process.stderr.write(`ccsso: kept the Node launcher for ${name} (${e.message})\n`);
    }
  }
}
