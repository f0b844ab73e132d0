// botocore is the oracle for endpoint resolution: for every case in the shared table it must resolve
// (or refuse) exactly what test/unit/endpoints.test.ts expects of ccsso. The one recorded difference:
// botocore silently drops FIPS/dual-stack when an endpoint URL is configured, where the endpoint rule
// sets (and the JS SDK) refuse the combination; ccsso refuses it with a message naming both settings.
import { afterAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { endpointCases } from "../helpers/endpoint-cases";
import { makeSandbox } from "../helpers/sandbox";

const script = join(import.meta.dir, "botocore-endpoints.py");
const sandbox = makeSandbox();
afterAll(() => sandbox.cleanup());

describe("botocore resolves the shared endpoint table the same way", () => {
  for (const c of endpointCases) {
    it(c.name, async () => {
      sandbox.writeConfig(c.config ?? "");
      const proc = Bun.spawn(["python3", script, c.region, c.profile ?? ""], {
        env: { ...sandbox.env, ...c.env },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      expect(err).toBe("");
      expect(code).toBe(0);
      const got = JSON.parse(out);
      expect(got.oidc).toBe(c.botocore?.oidc ?? c.oidc);
      expect(got.portal).toBe(c.botocore?.portal ?? c.portal);
      if (c.sts) expect(got.sts).toBe(c.sts);
      if (c.codecommit) expect(got.codecommit).toBe(c.codecommit);
    });
  }
});
