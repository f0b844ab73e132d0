// The timestamps in the token and credential caches (docs/protocols.md §2.2). The AWS CLI writes
// `2025-01-02T04:04:05Z`, the JS SDK `2025-01-02T04:04:05.123Z`, CLIs before 2.1.14 `2025-01-02T04:04:05UTC`
// (which `new Date()` cannot parse). We read all three and write the first.

const pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|UTC|[+-]00:?00)$/;

/** Milliseconds since the epoch, or undefined when the text is not one of the forms above. */
export function parseCacheTimestamp(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  // Date.UTC rolls 2025-02-30 over into March; a date that does not round-trip is not a date.
  const back = new Date(t);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  return t;
}

/** `%Y-%m-%dT%H:%M:%SZ` in UTC, no fractional seconds: what the AWS CLI writes. */
export function formatCacheTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
