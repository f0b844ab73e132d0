// A separate process asking for the SSO token of profile argv[2] (the setting of a git helper):
// used by the cross-process lock test. Prints the access token, or the error's one line.
import { getSsoToken } from "../../src/auth/sso-token";
import { resolveSsoProfile } from "../../src/core/aws-config";
import { realContext } from "../../src/platform/context";
import { loadAwsConfig } from "../../src/store/aws-config-files";

const ctx = realContext();
const cfg = loadAwsConfig(ctx.env);
const p = resolveSsoProfile(cfg, process.argv[2]!)!;
getSsoToken(ctx, cfg, p.login, { profile: p.profile }).then(
  (t) => process.stdout.write(t.accessToken + "\n"),
  (e) => {
    process.stdout.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
