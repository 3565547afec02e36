import { vi } from 'vitest';

/**
 * Resolves once `condition` holds: for a test that waits on something the product does in the
 * background (a request reaching the emulator, a report line written, a job finishing). It polls
 * (vitest's waitFor) instead of sleeping a guessed time, so it is as fast as the product and fails
 * with `what` after `timeoutMs` if the condition never comes.
 */
export async function until(condition: () => boolean | Promise<boolean>, what = 'the condition', timeoutMs = 10_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`Timed out waiting for ${what}.`);
    },
    { timeout: timeoutMs, interval: 5 },
  );
}
