/** The service's concurrent-request limit per identity: never more in flight than this. */
export const MAX_CONCURRENCY = 52;
/** Until the service has sent an `x-ms-dop-hint`. */
const DEFAULT_CONCURRENCY = 4;
/** How long a 429 for execution time keeps the concurrency lowered. */
export const LOWERED_FOR_MS = 60_000;

/**
 * How many requests may be in flight (docs/bulk-create.md, "Batches and concurrency"): the
 * `x-ms-dop-hint` the service last sent (4 until one is seen), or --concurrency, never above 52.
 * A 429 for combined execution time halves it for 60 s (each further one halves it again),
 * as Microsoft asks: "Decrease number of concurrent requests".
 * https://learn.microsoft.com/power-apps/developer/data-platform/send-parallel-requests
 */
export class Concurrency {
  private hint: number | undefined;
  private halvings = 0;
  private loweredUntil = 0;

  constructor(
    private readonly fixed: number | undefined,
    private readonly now: () => number,
  ) {}

  seeHint(hint: number | undefined): void {
    if (hint !== undefined) this.hint = hint;
  }

  lowerForExecutionTime(): void {
    this.halvings = Math.min(this.halvings + 1, 6);
    this.loweredUntil = this.now() + LOWERED_FOR_MS;
  }

  get limit(): number {
    const base = Math.min(MAX_CONCURRENCY, this.fixed ?? this.hint ?? DEFAULT_CONCURRENCY);
    if (this.halvings > 0 && this.now() >= this.loweredUntil) this.halvings = 0;
    return Math.max(1, Math.floor(base / 2 ** this.halvings));
  }

  /** Where the limit comes from, for the plan: "the service's hint" or "--concurrency". */
  get source(): string {
    return this.fixed !== undefined ? '--concurrency' : this.hint !== undefined ? "the service's hint" : 'the default until the service hints';
  }
}
