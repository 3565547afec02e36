import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';
import { firstLine, useDvasProcesses } from '../helpers/emulator-process.js';

/**
 * The README's PowerShell example ("From any language"). PowerShell is not on the test machines,
 * so the test checks what the script relies on: every field it reads from the emulator's `--json`
 * line exists there, and the two requests it makes, made as Invoke-RestMethod makes them (a
 * hashtable body is sent form-encoded), get a token and run WhoAmI as Sam. Where `pwsh` is
 * installed, the script itself runs too.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/^```powershell\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
const script = blocks[0] ?? '';
const hasPwsh = spawnSync('pwsh', ['-Version'], { stdio: 'ignore' }).status === 0;

interface EmulatorLine {
  url: string;
  apiUrl: string;
  authority: string;
  clientId: string;
  clientSecret: string;
  users: Array<Record<string, unknown>>;
}

describe("the README's PowerShell example", () => {
  const spawnDvas = useDvasProcesses();
  const start = async () => JSON.parse(await firstLine(spawnDvas(['emulator', '--json']))) as EmulatorLine;

  it('is there, once', () => {
    expect(blocks).toHaveLength(1);
    expect(script).toContain('Invoke-RestMethod -Method Post -Uri "$($emulator.authority)/oauth2/v2.0/token"');
    expect(script).toContain('Invoke-RestMethod -Uri "$($emulator.apiUrl)WhoAmI" -Headers $headers');
  });

  it("reads only fields the emulator's --json line has", async () => {
    const line = await start();
    const fields = [...new Set([...script.matchAll(/\$emulator\.(\w+)/g)].map((match) => match[1]))];
    expect(fields.sort()).toEqual(['apiUrl', 'authority', 'clientId', 'clientSecret', 'url', 'users']);
    for (const field of fields) expect(line).toHaveProperty(field!);
    const userFields = [...script.matchAll(/\$sam\.(\w+)|Where-Object (\w+)/g)].map((match) => match[1] ?? match[2]);
    expect(userFields.length).toBeGreaterThan(0);
    for (const field of userFields) expect(line.users[0]).toHaveProperty(field!);
  });

  it('its token request and WhoAmI, sent as Invoke-RestMethod sends them, run as Sam', async () => {
    const line = await start();
    const body = /-Body @\{([\s\S]*?)\}\)/.exec(script)?.[1] ?? '';
    const keys = [...body.matchAll(/^\s*(\w+)\s*=/gm)].map((match) => match[1]);
    expect(keys).toEqual(['grant_type', 'client_id', 'client_secret', 'scope']);
    expect(body).toContain("grant_type    = 'client_credentials'");
    const token = await fetch(`${line.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: line.clientId, client_secret: line.clientSecret, scope: `${line.url}/.default` }),
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const sam = line.users.find((user) => user.internalemailaddress === 'sam.sales@contoso.com');
    expect(script).toContain('CallerObjectId = $sam.azureactivedirectoryobjectid');
    const me = await fetch(`${line.apiUrl}WhoAmI`, { headers: { Authorization: `Bearer ${accessToken}`, CallerObjectId: String(sam?.azureactivedirectoryobjectid) } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { UserId: string }).UserId).toBe(sam?.systemuserid);
  });

  it.skipIf(!hasPwsh)('runs under pwsh', async () => {
    const line = await start();
    const work = mkdtempSync(join(tmpdir(), 'dvas-readme-pwsh-'));
    try {
      writeFileSync(join(work, 'emulator.json'), JSON.stringify(line));
      writeFileSync(join(work, 'example.ps1'), script);
      const run = spawnSync('pwsh', ['-NoProfile', '-File', 'example.ps1'], { cwd: work, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('WhoAmI ran as Sam');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
