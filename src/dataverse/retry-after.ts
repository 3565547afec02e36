/**
 * The wait a Retry-After header asks for, in milliseconds: delta-seconds ("30") or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; never negative (a date in the past,
 * from clock skew, means "now").
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
