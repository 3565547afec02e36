import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { quote } from '../../src/output/terminal-text.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

/**
 * Errors name the real cause (issue 12): a config directory that is a file, or a token cache that
 * is a directory, is exit 3 naming the file and what is wrong with it (it was "Sign-in at … failed",
 * exit 4); a cache that is only corrupt is ignored and written again, as the README promises.
 */
describe('bad input: config paths that are files or directories', () => {
  const emulator = useEmulator();
  const root = mkdtempSync(join(tmpdir(), 'dvas-config-paths-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let count = 0;
  const fresh = () => join(root, `case-${++count}`);

  /** Signs in with the demo application's secret through msal, which keeps its tokens in token-cache.json. */
  const run = (configDir: string, argv: string[] = ['whoami']) =>
    runCli(argv, {
      env: {
        DVAS_CONFIG_DIR: configDir,
        DVAS_URL: emulator().url,
        AZURE_TENANT_ID: emulator().tenantId,
        AZURE_CLIENT_ID: DEMO_APP.clientId,
        AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
        NO_COLOR: '1',
      },
    });

  const expectOneSentence = (stderr: string, first: string) => {
    expect(stderr).toMatch(/^error: [^\n]+\nhint: [^\n]+\n$/);
    expect(stderr.split('\n')[0]).toBe(`error: ${first}`);
  };

  it('DVAS_CONFIG_DIR is a file: exit 3 naming it, no token request, the file untouched', async () => {
    const file = fresh();
    writeFileSync(file, 'notes\n');
    const before = emulator().stats.requests;
    const result = await run(file);
    expect(result.code).toBe(ExitCode.Config);
    expect(result.stdout).toBe('');
    expectOneSentence(result.stderr, `Cannot use the token cache ${quote(join(file, 'token-cache.json'))}: ${quote(file)} is a file, not a directory.`);
    expect(readFileSync(file, 'utf8')).toBe('notes\n');
    expect(emulator().stats.requests).toBe(before);
  });

  it('token-cache.json is a directory: exit 3 naming it, nothing written beside it', async () => {
    const directory = fresh();
    mkdirSync(join(directory, 'token-cache.json'), { recursive: true });
    const result = await run(directory);
    expect(result.code).toBe(ExitCode.Config);
    expectOneSentence(result.stderr, `Cannot use the token cache ${quote(join(directory, 'token-cache.json'))}: it is a directory, not a file.`);
    expect(readdirSync(directory)).toEqual(['token-cache.json']);
    expect(readdirSync(join(directory, 'token-cache.json'))).toEqual([]);
  });

  it.each([
    ['profile add', ['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com']],
    ['profile list', ['profile', 'list']],
  ])('%s with DVAS_CONFIG_DIR a file: exit 3 naming the profiles file', async (_, argv) => {
    const file = fresh();
    writeFileSync(file, 'notes\n');
    const result = await runCli(argv, { env: { DVAS_CONFIG_DIR: file, NO_COLOR: '1' } });
    expect(result.code).toBe(ExitCode.Config);
    expectOneSentence(result.stderr, `Cannot use the profiles file ${quote(join(file, 'profiles.json'))}: ${quote(file)} is a file, not a directory.`);
    expect(readFileSync(file, 'utf8')).toBe('notes\n');
  });

  it.each([
    ['not JSON', '{ not json'],
    ['truncated', '{"AccessToken": {"half'],
    ['empty', ''],
    ['a JSON array', '[]'],
    ['a number where a section belongs', '{"AccessToken": 5}'],
    ['a section of strings', '{"Account": {"x": "y"}, "AccessToken": {"k": 1}}'],
    ['entries with no fields', '{"Account": {"x": {}}, "AccessToken": {"k": {}}, "RefreshToken": {"r": {}}}'],
    ['entries of the wrong types', '{"AccessToken": {"k": {"credential_type": 5, "expires_on": [], "secret": null}}}'],
  ])('a token cache that is %s is ignored and written again, 0600', async (_, contents) => {
    const directory = fresh();
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'token-cache.json'), contents, { mode: 0o600 });
    const result = await run(directory);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(result.stderr).toBe('');
    const file = join(directory, 'token-cache.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('AccessToken');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
