// The person at the browser, as a Windows program: ccsso.exe starts it through BROWSER under Wine, it
// opens the sign-in URL and follows the stand-in's auto-approving redirects to ccsso's loopback
// callback, as a browser would. Compiled for bun-windows-x64 by test/platform/wine.ts.
export {};
const url = process.argv[2];
if (!url) {
  console.error("browser: no URL");
  process.exit(2);
}
const r = await fetch(url, { redirect: "follow" });
console.error(`browser: ${r.status} ${new URL(r.url).pathname}`);
process.exit(r.ok ? 0 : 1);
