import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spinnerAllowed, withSpinner } from '../../src/output/spinner.js';

/** Enough of a terminal for ora: isTTY, a width and the cursor calls (recorded as writes). */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 80;
  written = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written += chunk.toString();
    callback();
  }
  cursorTo(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
}

describe('spinnerAllowed', () => {
  const terminal = new FakeTerminal();
  it.each([
    ['a terminal, table output', terminal, {}, 'table', true],
    ['no terminal behind stderr', undefined, {}, 'table', false],
    ['CI set', terminal, { CI: 'true' }, 'table', false],
    ['CI set but empty', terminal, { CI: '' }, 'table', false],
    ['TERM=dumb', terminal, { TERM: 'dumb' }, 'table', false],
    ['-o json', terminal, {}, 'json', false],
    ['-o ndjson', terminal, {}, 'ndjson', false],
    ['-o csv', terminal, {}, 'csv', false],
  ] as const)('%s', (_, stream, env, output, allowed) => {
    expect(spinnerAllowed({ terminal: stream, env, output })).toBe(allowed);
  });
});

describe('withSpinner', () => {
  // ora draws its frames on a timer: the tests move time by hand instead of waiting for frames.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spins on the terminal while the task runs, then clears it', async () => {
    const terminal = new FakeTerminal();
    const result = await withSpinner('Working', { terminal, env: {}, output: 'table', signal: new AbortController().signal }, async (spinner) => {
      spinner.update('Still working');
      await vi.advanceTimersByTimeAsync(150);
      return 42;
    });
    expect(result).toBe(42);
    expect(terminal.written).toContain('Still working');
  });

  it('writes nothing at all when not allowed (no "- text" line as a disabled ora prints)', async () => {
    const terminal = new FakeTerminal();
    const result = await withSpinner('Working', { terminal, env: { CI: '1' }, output: 'table', signal: new AbortController().signal }, async () => 'done');
    expect(result).toBe('done');
    expect(terminal.written).toBe('');
  });

  it('stops spinning when the signal aborts (Ctrl+C), before the task settles', async () => {
    const terminal = new FakeTerminal();
    const controller = new AbortController();
    let release: () => void = () => undefined;
    const running = withSpinner('Working', { terminal, env: {}, output: 'table', signal: controller.signal }, () => new Promise<void>((resolve) => (release = resolve)));
    await vi.advanceTimersByTimeAsync(120);
    expect(terminal.written).toContain('Working');
    controller.abort();
    const afterAbort = terminal.written.length;
    await vi.advanceTimersByTimeAsync(250);
    expect(terminal.written.length).toBe(afterAbort);
    release();
    await running;
  });
});
