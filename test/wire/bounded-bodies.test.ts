// Every HTTP answer is read with a cap: an endpoint that streams forever (or declares a huge body)
// ends the call with one clear line instead of growing ccsso's memory without bound.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { MAX_RESPONSE_BYTES, readBodyCapped, readTextCapped, ResponseTooLargeError } from "../../src/aws/bounded-body";
import { createPortalClient } from "../../src/aws/portal";
import { signedPost } from "../../src/aws/signed-call";
import { renderError } from "../../src/cli/render-error";
import { testContext } from "../../src/platform/context";

let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      // An answer that never ends: 64 KiB chunks for as long as anyone reads.
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      return new Response(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(chunk);
          },
        }),
        { headers: { "content-type": "application/json" } },
      );
    },
  });
});
afterAll(() => server.stop(true));

const creds = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret-secret-secret", source: "env" } as never;

describe("bounded reads of HTTP answers", () => {
  it("stops a signed call's endless answer at the cap with one clear line", async () => {
    const t = testContext();
    const e = await signedPost(
      t.ctx,
      { service: "sts", region: "us-east-1", endpoint: server.url.origin, credentials: creds },
      { headers: {}, body: "", maxResponseBytes: 1024 * 1024 },
    ).catch((x) => x);
    expect(renderError(e, t.ctx)).toBe(1);
    expect(t.stderr()).toBe(
      `ccsso: the answer from ${server.url.origin} is larger than 1 MiB; ccsso stopped reading it — check the endpoint (AWS_ENDPOINT_URL_*, a proxy or captive portal in between)\n`,
    );
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    const res = new Response("{}", { headers: { "content-length": String(MAX_RESPONSE_BYTES * 4) } });
    const e = await readBodyCapped(res, "https://example.invalid").catch((x) => x);
    expect(e).toBeInstanceOf(ResponseTooLargeError);
  });

  it("returns a body under the cap whole, across chunks", async () => {
    const text = "x".repeat(200_000);
    expect(await readTextCapped(new Response(text), "https://example.invalid", 200_000)).toBe(text);
  });

  it("stops an SDK call's (IAM Identity Center portal) endless answer at the default cap", async () => {
    const t = testContext();
    const portal = await createPortalClient({ endpoint: server.url.origin, region: "us-east-1", ctx: t.ctx, timeoutMs: 20_000 });
    const e = await portal.listAccounts("token").catch((x) => x);
    expect(e.message).toContain("is larger than 8 MiB; ccsso stopped reading it");
  });
});
