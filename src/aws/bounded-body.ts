// Every HTTP answer ccsso reads is read with a cap: a hostile or broken endpoint (or something in
// between, such as a captive portal streaming a page forever) must not be able to make the credential
// helper, which git starts on every fetch, grow without bound in memory.
import { CcssoError } from "../core/errors";

/**
 * The largest answer ccsso accepts. The biggest AWS answers it reads are one page of accounts, roles or
 * repositories (tens of KB); 8 MiB is far above any of them and still a trivial amount of memory.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** An answer larger than MAX_RESPONSE_BYTES: reading stopped at the cap. */
export class ResponseTooLargeError extends CcssoError {
  constructor(
    readonly endpoint: string,
    readonly limit: number,
  ) {
    super(
      `the answer from ${endpoint} is larger than ${Math.round(limit / (1024 * 1024))} MiB; ccsso stopped reading it`,
      "check the endpoint (AWS_ENDPOINT_URL_*, a proxy or captive portal in between)",
    );
  }
}

/** The body of `res`, reading at most `limit` bytes; ResponseTooLargeError (and the rest discarded) beyond it. */
export async function readBodyCapped(res: Response, endpoint: string, limit = MAX_RESPONSE_BYTES): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new ResponseTooLargeError(endpoint, limit);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLargeError(endpoint, limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** readBodyCapped as UTF-8 text. */
export async function readTextCapped(res: Response, endpoint: string, limit = MAX_RESPONSE_BYTES): Promise<string> {
  return new TextDecoder().decode(await readBodyCapped(res, endpoint, limit));
}
