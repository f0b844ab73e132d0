// Times as people read them in status output: "in 7h 59m", "3m ago", "expired 2d ago".

/** A span in the two largest units: "2d 3h", "7h 59m", "4m 10s", "12s". */
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return sec > 0 && m < 10 ? `${m}m ${sec}s` : `${m}m`;
  return `${sec}s`;
}

/** "in 7h 59m" for a future time, "3m ago" for a past one. */
export function formatRelative(at: number, now: number): string {
  return at >= now ? `in ${formatSpan(at - now)}` : `${formatSpan(now - at)} ago`;
}

/** ISO 8601 UTC to the second (2026-01-02T03:04:05Z): the AWS CLI cache's own timestamp form. */
export { formatCacheTimestamp as isoSeconds } from "../core/timestamps";
