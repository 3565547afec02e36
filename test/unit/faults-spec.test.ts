import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { FaultInjector } from '../../src/emulator/faults/injector.js';
import { FaultSpecError, formatFaultSpec, parseFaultSpec, validateFaults } from '../../src/emulator/faults/spec.js';
import { bufferIO } from '../helpers/buffer-io.js';

describe('the fault SPEC grammar', () => {
  it('reads every setting', () => {
    expect(parseFaultSpec('throttle=0.1, unavailable=0.05,dropBefore=.02,dropAfter=0.03,latency=20ms,rowLatency=0.2ms,retryAfter=3,seed=42')).toEqual({
      latencyMs: { min: 20, max: 20 },
      rowLatencyMs: 0.2,
      fractions: { throttle: 0.1, unavailable: 0.05, dropBefore: 0.02, dropAfter: 0.03 },
      retryAfterSeconds: 3,
      seed: 42,
    });
  });

  it.each([
    ['latency=1.5s', { min: 1500, max: 1500 }],
    ['latency=10ms-50ms', { min: 10, max: 50 }],
    ['latency=0.5s-2s', { min: 500, max: 2000 }],
  ])('reads %s as a latency in milliseconds', (spec, latencyMs) => {
    expect(parseFaultSpec(spec).latencyMs).toEqual(latencyMs);
  });

  it('reads an empty spec as no faults', () => {
    expect(formatFaultSpec(parseFaultSpec(''))).toBe('');
  });

  it('writes settings back as a spec that reads the same', () => {
    const spec = 'latency=10ms-50ms,rowLatency=0.2ms,throttle=0.1,dropAfter=0.05,retryAfter=2,seed=7';
    expect(formatFaultSpec(parseFaultSpec(spec))).toBe(spec);
  });

  it.each([
    ['thrCottle=0.1', "The fault spec item 'thrCottle=0.1' names no fault setting; use latency, rowLatency, throttle, unavailable, dropBefore, dropAfter, retryAfter, seed."],
    ['throttle', "The fault spec item 'throttle' needs a value, as in throttle=0.1."],
    ['throttle=', "The fault spec item 'throttle=' needs a value, as in throttle=0.1."],
    ['throttle=2', "The fault 'throttle' takes a fraction from 0 to 1, not '2'."],
    ['throttle=10%', "The fault 'throttle' takes a fraction from 0 to 1, not '10%'."],
    ['throttle=0.1,throttle=0.2', "The fault spec names 'throttle' more than once."],
    ['throttle=0.6,dropAfter=0.6', 'The fault fractions add up to 1.2; together they must be at most 1.'],
    ['latency=20', "The fault 'latency' takes a duration such as 20ms or 1.5s, not '20'."],
    ['latency=50ms-10ms', 'The fault latency range 50ms-10ms runs backwards; put the smaller bound first.'],
    ['rowLatency=-1ms', "The fault 'rowLatency' takes a duration such as 20ms or 1.5s, not '-1ms'."],
    ['retryAfter=1.5', "The fault 'retryAfter' takes a whole number of seconds, not '1.5'."],
    ['seed=4294967296', "The fault 'seed' takes a whole number from 0 to 4294967295, not '4294967296'."],
  ])('refuses %s with one sentence', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(new FaultSpecError(message));
  });

  it('validates the object form the same way', () => {
    expect(() => validateFaults({ fractions: { throttle: 1.5 } })).toThrow(FaultSpecError);
    expect(validateFaults({ fractions: { dropAfter: 1 }, seed: 1 }).fractions).toEqual({ throttle: 0, unavailable: 0, dropBefore: 0, dropAfter: 1 });
  });
});

describe('the fault sequence', () => {
  const sequence = (spec: string, length = 200) => {
    const injector = new FaultInjector(parseFaultSpec(spec));
    return Array.from({ length }, () => injector.next());
  };

  it('is the same for the same seed and different for another', () => {
    const spec = 'throttle=0.2,unavailable=0.2,dropBefore=0.1,dropAfter=0.1,latency=5ms-10ms';
    expect(sequence(`${spec},seed=9`)).toEqual(sequence(`${spec},seed=9`));
    expect(sequence(`${spec},seed=9`)).not.toEqual(sequence(`${spec},seed=10`));
  });

  it('gives each kind about its share, and latencies inside the range', () => {
    const plans = sequence('throttle=0.2,unavailable=0.1,dropAfter=0.3,latency=5ms-10ms,seed=1', 10_000);
    const share = (kind: string) => plans.filter((plan) => plan.failure === kind).length / plans.length;
    expect(share('throttle')).toBeCloseTo(0.2, 1);
    expect(share('unavailable')).toBeCloseTo(0.1, 1);
    expect(share('dropAfter')).toBeCloseTo(0.3, 1);
    expect(share('dropBefore')).toBe(0);
    expect(plans.every((plan) => plan.latencyMs >= 5 && plan.latencyMs <= 10)).toBe(true);
  });

  it('reports a fresh seed when none was given, which replays the run', () => {
    const injector = new FaultInjector(parseFaultSpec('throttle=0.5'));
    expect(injector.settings.seed).toEqual(expect.any(Number));
    const replay = new FaultInjector(parseFaultSpec(formatFaultSpec(injector.settings)));
    expect(Array.from({ length: 50 }, () => replay.next())).toEqual(Array.from({ length: 50 }, () => injector.next()));
  });
});

describe('dvas emulator: bad fault and limit flags', () => {
  it.each([
    [['--faults', 'throttle=2'], "error: The fault 'throttle' takes a fraction from 0 to 1, not '2'."],
    [['--faults', 'boom'], 'error: The fault spec item'],
    [['--no-limits', '--limit-requests', '5'], 'error: --no-limits cannot be combined with --limit-requests.'],
    [['--limit-concurrency', '0'], "error: --limit-concurrency must be a whole number from 1 to 1000000, not \"0\"."],
    [['--limit-window', 'soon'], "error: --limit-window must be a whole number from 1 to 86400, not \"soon\"."],
  ])('%j exits with 2 and says why', async (flags, message) => {
    const io = bufferIO();
    expect(await main(['emulator', '--port', '0', ...flags], { io, env: {} })).toBe(2);
    expect(io.stderrText()).toContain(message);
    expect(io.stdoutText()).toBe('');
  });
});
