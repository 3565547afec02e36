import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const newConfigDir = useTempConfigDir();

/** Requests the emulator answered (Web API and unauthenticated probes alike) while `run` ran. */
async function requestsDuring(run: () => Promise<unknown>): Promise<number> {
  const before = emulator().stats.requests;
  await run();
  return emulator().stats.requests - before;
}

describe('a profile without a tenant learns it from the bearer challenge once, not on every run', () => {
  it('the second run sends no discovery request: as many requests as with the tenant on the profile', async () => {
    const configDir = newConfigDir();
    const app = { DVAS_CONFIG_DIR: configDir, DVAS_URL: emulator().url, AZURE_CLIENT_ID: DEMO_APP.clientId, DVAS_CLIENT_SECRET: DEMO_APP.clientSecret };
    const whoami = async (env: Record<string, string>) => {
      const result = await runCli(['whoami', '-o', 'json'], { env });
      expect(result.code, result.stderr).toBe(ExitCode.Ok);
    };

    await whoami(app); // learns the tenant, signs in, caches both
    const withTenant = await requestsDuring(() => whoami({ ...app, AZURE_TENANT_ID: emulator().tenantId }));
    const learned = await requestsDuring(() => whoami(app));
    expect(learned).toBe(withTenant);

    const cache = JSON.parse(readFileSync(join(configDir, 'authority-cache.json'), 'utf8')) as { environments: Record<string, { authority: string }> };
    expect(cache.environments[emulator().url]?.authority).toBe(`${emulator().url}/${emulator().tenantId}`);
  });

  it('an entry naming an authority dvas would not trust is ignored: the environment is asked again', async () => {
    const configDir = newConfigDir();
    const env = { DVAS_CONFIG_DIR: configDir, DVAS_URL: emulator().url, AZURE_CLIENT_ID: DEMO_APP.clientId, DVAS_CLIENT_SECRET: DEMO_APP.clientSecret };
    expect((await runCli(['whoami', '-o', 'json'], { env })).code).toBe(ExitCode.Ok);
    const file = join(configDir, 'authority-cache.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ version: 1, environments: { [emulator().url]: { authority: 'https://evil.example.com/tenant', learnedAt: new Date().toISOString() } } }));
    const result = await runCli(['whoami', '-o', 'json'], { env });
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(readFileSync(file, 'utf8')).toContain(`${emulator().url}/${emulator().tenantId}`);
  });
});
