import { describe, expect, it, vi } from 'vitest';
import { createContext, type ContextDependencies, type DataverseClientOptions } from '../../src/context.js';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import { readGlobalOptions } from '../../src/options/global-options.js';
import { withProfile } from '../../src/profiles/changes.js';
import { EMPTY_SNAPSHOT } from '../../src/profiles/schema.js';
import { MemoryProfileStore } from '../../src/profiles/store.js';
import { bufferIO } from '../helpers/cli.js';
import { TestClock } from '../helpers/test-clock.js';

const SAM_ID = '5a6b7c8d-0000-4000-8000-00000000000a';
const dev = { name: 'dev', url: 'https://dev.crm.dynamics.com', auth: 'token' as const, apiVersion: 'v9.2' };

function makeContext(flags: Record<string, unknown>, env: Record<string, string> = {}, dependencies: Partial<ContextDependencies> = {}) {
  const io = bufferIO();
  const controller = new AbortController();
  const context = createContext({
    io,
    env,
    options: readGlobalOptions(flags, env, false),
    signal: controller.signal,
    setExitCode: () => undefined,
    dependencies: { profileStore: () => new MemoryProfileStore(withProfile(EMPTY_SNAPSHOT, dev)), ...dependencies },
  });
  return { context, io, controller };
}

describe('CliContext', () => {
  it('dataverse() loads the client factory only when called, and hands it the profile, env, io and global flags', async () => {
    const created: DataverseClientOptions[] = [];
    // The real factory in dry-run mode: a real client that never touches the network.
    const loadDataverseClientFactory = vi.fn(async () => (options: DataverseClientOptions) => {
      created.push(options);
      return createDataverseClient({ ...options, dryRun: { offline: true, format: 'http' } });
    });
    const { context } = makeContext({ verbose: true, dryRun: true }, { DVAS_X: '1' }, { loadDataverseClientFactory });
    expect(loadDataverseClientFactory).not.toHaveBeenCalled();
    const impersonation = { kind: 'systemuserid' as const, systemUserId: SAM_ID };
    await context.dataverse({ impersonation });
    expect(loadDataverseClientFactory).toHaveBeenCalledTimes(1);
    expect(created[0]).toEqual({ profile: dev, env: { DVAS_X: '1' }, io: context.io, verbose: true, dryRun: { offline: false, format: 'http', lookups: [] }, signal: context.signal, clock: context.clock, impersonation });
  });

  it('resolves the profile once and tells stderr its notes once', async () => {
    const { context, io } = makeContext({}, { DVAS_URL: 'https://ci.crm.dynamics.com/api/data/v9.2/', DVAS_ACCESS_TOKEN: 't' });
    const [first, second] = await Promise.all([context.resolveProfile(), context.resolveProfile()]);
    expect(first).toBe(second);
    expect(first.source).toBe('environment');
    expect(io.stderrText().match(/Using the environment URL/g)).toHaveLength(1);
  });

  it('output writes the data to stdout in the chosen format', () => {
    const { context, io } = makeContext({ output: 'csv' });
    context.output.list([{ a: 1 }], [{ header: 'a', value: (row) => row.a }]);
    expect(io.stdoutText()).toBe('a\r\n1\r\n');
  });

  it('sleep() ends early with a rejection when the run is interrupted', async () => {
    const { context, controller } = makeContext({});
    const sleeping = context.sleep(60_000);
    controller.abort(new Error('interrupted'));
    await expect(sleeping).rejects.toThrow('interrupted');
  });

  it('now() and sleep() come from the dependencies (tests need no real time)', async () => {
    const fixed = new Date('2025-01-01T00:00:00Z');
    const clock = new TestClock(fixed.getTime());
    const sleep = vi.spyOn(clock, 'sleep');
    const { context } = makeContext({}, {}, { clock });
    expect(context.now()).toEqual(fixed);
    expect(context.clock).toBe(clock);
    const sleeping = context.sleep(5000);
    expect(sleep).toHaveBeenCalledWith(5000, context.signal);
    await clock.advance(5000);
    await sleeping;
    expect(context.now()).toEqual(new Date(fixed.getTime() + 5000));
  });
});
