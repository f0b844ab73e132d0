// Which of ccsso's per-platform npm packages holds this machine's binary, and where it is.
"use strict";
const path = require("node:path");
const fs = require("node:fs");

function libc() {
  if (process.platform !== "linux") return "";
  // glibc reports its version in the process report; musl does not.
  const report = typeof process.report?.getReport === "function" ? process.report.getReport() : {};
  return report?.header?.glibcVersionRuntime ? "" : "-musl";
}

function platformPackage() {
  const os = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform];
  const cpu = { x64: "x64", arm64: "arm64" }[process.arch];
  return os && cpu ? `ccsso-${os}-${cpu}${libc()}` : `ccsso-${process.platform}-${process.arch}`;
}

function binaryPath() {
  const name = platformPackage();
  const file = process.platform === "win32" ? "ccsso.exe" : "ccsso";
  let dir;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(
      `the package ${name} for this platform (${process.platform} ${process.arch}) is not installed: ` +
        `npm skips it when it does not exist for this platform or optional dependencies are turned off (--omit=optional). ` +
        `Download the binary for your platform from ${require("./package.json").ccssoReleases} instead.`,
    );
  }
  const binary = path.join(dir, "bin", file);
  if (!fs.existsSync(binary)) throw new Error(`${name} has no bin/${file}; reinstall ccsso`);
  return binary;
}

module.exports = { platformPackage, binaryPath };
