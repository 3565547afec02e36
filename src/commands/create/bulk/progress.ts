import type { Clock } from '../../../clock/clock.js';
import type { SpinnerHandle } from '../../../output/spinner.js';

/** How often a plain progress line is written when stderr is not a terminal. */
export const PLAIN_EVERY_MS = 5_000;
/** How often the bar on a terminal is redrawn. */
const BAR_EVERY_MS = 250;
const BAR_WIDTH = 20;

/**
 * Rows done of the total, rows per second and time left (docs/bulk-create.md, "Progress and
 * summary"): a bar in the spinner's line on a terminal, else a plain line on stderr every 5 s,
 * both timed on the run's clock. Counting a row is one addition; drawing happens on the timer.
 */
export class Progress {
  private done = 0;
  private readonly started: number;
  private readonly stopped = new AbortController();

  constructor(
    private readonly clock: Clock,
    private readonly total: number | undefined,
  ) {
    this.started = clock.now();
  }

  row(): void {
    this.done++;
  }

  /** Draws until stop(): on `spinner` when there is one, else plain lines through `write`. */
  async show(spinner: SpinnerHandle | undefined, write: (line: string) => void): Promise<void> {
    const every = spinner ? BAR_EVERY_MS : PLAIN_EVERY_MS;
    try {
      for (;;) {
        await this.clock.sleep(every, this.stopped.signal);
        if (spinner) spinner.update(this.line(true));
        else write(`dvas: ${this.line(false)}\n`);
      }
    } catch {
      // stop() ends the wait: the run is over.
    }
  }

  stop(): void {
    this.stopped.abort();
  }

  line(bar: boolean): string {
    const elapsed = Math.max(1, this.clock.now() - this.started);
    const rate = (this.done / elapsed) * 1000;
    const rateText = `${Math.round(rate)} rows/s`;
    if (this.total === undefined || this.total === 0) return `${this.done} rows, ${rateText}`;
    const share = Math.min(1, this.done / this.total);
    const left = rate > 0 ? Math.ceil((this.total - this.done) / rate) : undefined;
    const leftText = left === undefined ? '' : `, ${formatSeconds(left)} left`;
    const filled = Math.round(share * BAR_WIDTH);
    const prefix = bar ? `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ` : '';
    return `${prefix}${this.done} of ${this.total} rows (${Math.floor(share * 100)}%), ${rateText}${leftText}`;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
