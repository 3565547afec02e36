import { describe, expect, it } from 'vitest';
import { colorEnabled, createColors } from '../../src/output/colors.js';
import { bufferIO } from '../helpers/cli.js';

describe('colorEnabled', () => {
  it.each([
    ['a terminal', true, {}, true, true],
    ['a pipe', false, {}, true, false],
    ['--no-color', true, {}, false, false],
    ['NO_COLOR=1', true, { NO_COLOR: '1' }, true, false],
    ['NO_COLOR set but empty (no-color.org: ignored)', true, { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR=0', true, { FORCE_COLOR: '0' }, true, false],
    ['TERM=dumb', true, { TERM: 'dumb' }, true, false],
    ['CI set', true, { CI: 'true' }, true, false],
  ])('%s', (_, isTTY, env, flag, enabled) => {
    expect(colorEnabled(isTTY, env, flag)).toBe(enabled);
  });
});

describe('createColors', () => {
  it('decides per stream: a piped stdout gets no colour while a terminal stderr does', () => {
    const colors = createColors(bufferIO({ stdout: false, stderr: true }), {}, true);
    expect(colors.stdout.red('x')).toBe('x');
    expect(colors.stderr.red('x')).not.toBe('x');
  });

  it('honours NO_COLOR on both streams, which chalk alone would not', () => {
    const colors = createColors(bufferIO({ stdout: true, stderr: true }), { NO_COLOR: '1' }, true);
    expect(colors.stdout.red('x')).toBe('x');
    expect(colors.stderr.red('x')).toBe('x');
  });
});
