/**
 * One user's requests and execution time over a sliding window, kept in a fixed ring of time
 * buckets: memory stays constant however hard a client pushes, and a bucket leaves the window
 * only once its newest possible entry has (so Retry-After is never too short).
 */
export class UsageWindow {
  private static readonly BUCKETS = 300;
  private readonly slots = UsageWindow.BUCKETS + 1;
  private readonly bucketMs: number;
  private readonly bucketIds: Float64Array;
  private readonly requestCounts: Float64Array;
  private readonly executionTimes: Float64Array;
  /** The oldest bucket that may still hold entries. */
  private oldest = 0;
  private totalRequests = 0;
  private totalExecutionMs = 0;

  constructor(readonly windowMs: number) {
    this.bucketMs = windowMs / UsageWindow.BUCKETS;
    this.bucketIds = new Float64Array(this.slots).fill(-1);
    this.requestCounts = new Float64Array(this.slots);
    this.executionTimes = new Float64Array(this.slots);
  }

  requests(now: number): number {
    this.expire(now);
    return this.totalRequests;
  }

  executionMs(now: number): number {
    this.expire(now);
    return this.totalExecutionMs;
  }

  addRequest(now: number): void {
    this.add(now, 1, 0);
  }

  addExecution(now: number, milliseconds: number): void {
    this.add(now, 0, milliseconds);
  }

  /** Milliseconds until fewer than `limit` requests remain in the window. */
  msUntilRequestsBelow(limit: number, now: number): number {
    return this.msUntilRemoved(this.requests(now) - limit + 1, this.requestCounts, now);
  }

  /** Milliseconds until the combined execution time in the window is `limit` or less. */
  msUntilExecutionAtMost(limit: number, now: number): number {
    return this.msUntilRemoved(this.executionMs(now) - limit, this.executionTimes, now);
  }

  /** Walks buckets oldest first until their expiry would take `excess` away. */
  private msUntilRemoved(excess: number, amounts: Float64Array, now: number): number {
    if (excess <= 0) return 0;
    const current = this.bucketOf(now);
    let removed = 0;
    for (let bucket = this.oldest; bucket <= current; bucket++) {
      const slot = bucket % this.slots;
      if (this.bucketIds[slot] !== bucket) continue;
      removed += amounts[slot] ?? 0;
      if (removed >= excess) return this.expiryOf(bucket) - now;
    }
    return this.expiryOf(current) - now;
  }

  private add(now: number, requests: number, executionMs: number): void {
    this.expire(now);
    const bucket = this.bucketOf(now);
    const slot = bucket % this.slots;
    if (this.bucketIds[slot] !== bucket) {
      this.bucketIds[slot] = bucket;
      this.requestCounts[slot] = 0;
      this.executionTimes[slot] = 0;
    }
    this.requestCounts[slot] = (this.requestCounts[slot] ?? 0) + requests;
    this.executionTimes[slot] = (this.executionTimes[slot] ?? 0) + executionMs;
    this.totalRequests += requests;
    this.totalExecutionMs += executionMs;
  }

  /** Drops the buckets that have left the window, keeping the running totals in step. */
  private expire(now: number): void {
    const firstLive = this.bucketOf(now) - this.slots + 1;
    if (firstLive - this.oldest > this.slots) {
      // Idle for longer than the window: everything has expired.
      this.bucketIds.fill(-1);
      this.totalRequests = 0;
      this.totalExecutionMs = 0;
      this.oldest = firstLive;
      return;
    }
    for (; this.oldest < firstLive; this.oldest++) {
      const slot = this.oldest % this.slots;
      if (this.bucketIds[slot] !== this.oldest) continue;
      this.totalRequests -= this.requestCounts[slot] ?? 0;
      this.totalExecutionMs -= this.executionTimes[slot] ?? 0;
      this.bucketIds[slot] = -1;
    }
  }

  private bucketOf(now: number): number {
    return Math.floor(now / this.bucketMs);
  }

  /** A bucket leaves the window one full window after it ends. */
  private expiryOf(bucket: number): number {
    return (bucket + this.slots) * this.bucketMs;
  }
}
