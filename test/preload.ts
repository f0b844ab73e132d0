// Runs before any test module is imported (bunfig.toml). Nothing a test does may touch the real
// ~/.aws, ~/.config or git config, and no inherited AWS_* variable may leak into a test.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "ccsso-test-home-"));
for (const key of Object.keys(process.env)) {
  if (key.startsWith("AWS_") || key.startsWith("GIT_") || key === "CODE_COMMIT_ENDPOINT" || key === "BROWSER") delete process.env[key];
  if (/^(https?|no|all)_proxy$/i.test(key)) delete process.env[key];
}
process.env.HOME = root;
process.env.USERPROFILE = root;
process.env.XDG_CONFIG_HOME = join(root, ".config");
process.env.AWS_CONFIG_FILE = join(root, ".aws", "config");
process.env.AWS_SHARED_CREDENTIALS_FILE = join(root, ".aws", "credentials");
process.env.GIT_CONFIG_GLOBAL = join(root, ".gitconfig");
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.GIT_TERMINAL_PROMPT = "0";
process.env.NO_COLOR = "1";
writeFileSync(
  process.env.GIT_CONFIG_GLOBAL,
  "[user]\n\tname = ccsso test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n",
);
