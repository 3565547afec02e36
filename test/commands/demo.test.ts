import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { ensureBuilt } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/** `dvas demo` (what `npm run demo` runs after building): the README's first command. */
beforeAll(() => ensureBuilt(), 180_000);

/** stdout of a piped run: one JSON document per command (pretty-printed), nothing else. */
function jsonDocuments(stdout: string): unknown[] {
  const documents: unknown[] = [];
  let pending = '';
  for (const line of stdout.split('\n')) {
    if (line === '' && pending === '') continue;
    pending += `${line}\n`;
    try {
      documents.push(JSON.parse(pending));
      pending = '';
    } catch {
      // The document goes on in the next line.
    }
  }
  if (pending.trim() !== '') throw new Error(`stdout holds something other than JSON: ${pending}`);
  return documents;
}

const MARKERS = [
  '$ dvas whoami',
  '$ dvas whoami --as sam.sales@contoso.com',
  '$ dvas users',
  '$ dvas roles tess.team@contoso.com',
  '$ dvas get accounts --as sam.sales@contoso.com',
  '$ dvas create accounts --as sam.sales@contoso.com',
  '$ dvas create accounts --data \'[{"@as":"sam.sales@contoso.com","name":"Seeded by Sam"}',
  `$ dvas get accounts --filter "startswith(name,'Seeded by')" --select name`,
  'is missing prvCreateAccount privilege',
  'diagnosis: Riley Reader (riley.reader@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it at Global (Organization) depth through dvas Integration.',
  'Roles that grant prvCreateAccount: Account Manager, dvas Integration, Salesperson, System Administrator.',
  '$ dvas can create accounts --as sam.sales@contoso.com',
  '$ dvas can create accounts --as riley.reader@contoso.com',
  'enter the code',
  'Signed in as devon.delegate@contoso.com',
  'diagnosis: The signed-in identity (Devon Delegate) holds prvActOnBehalfOfAnotherUser only through a team',
];

describe('dvas demo', () => {
  // How long it takes (the README promises under 10 seconds) is measured by npm run bench:demo.
  it('spawned: exits 0, narrates on stderr, and prints only the commands\' data on stdout', async () => {
    const run = await spawnDvas(['demo'], {});
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    for (const marker of MARKERS) expect(run.stderr).toContain(marker);
    expect(run.stderr).toMatch(/✓ 13 commands in \d+\.\d s, \d+ Web API requests; the emulator's authority issued [2-9] tokens/);

    const documents = jsonDocuments(run.stdout);
    // whoami, whoami --as, users, roles, get, create, bulk create, get (the proof), can (yes), can (no), login
    // (the two failures print to stderr).
    expect(documents).toHaveLength(11);
    expect(documents[6]).toMatchObject({ rows: 3, created: 3, failed: 0, users: [{ user: 'sam.sales@contoso.com', created: 1 }, { user: 'tess.team@contoso.com', created: 1 }, { user: 'admin@contoso.com', created: 1 }] });
    const seeded = documents[7] as Array<{ name: string; createdby: { fullname: string }; createdonbehalfby: { fullname: string } }>;
    expect(seeded.map((row) => [row.name, row.createdby.fullname, row.createdonbehalfby.fullname])).toEqual([
      ['Seeded by Alex', 'Alex Admin', 'dvas demo app'],
      ['Seeded by Sam', 'Sam Sales', 'dvas demo app'],
      ['Seeded by Tess', 'Tess Team', 'dvas demo app'],
    ]);
    expect(documents[8]).toMatchObject({ allowed: true, privilege: 'prvCreateAccount' });
    expect(documents[9]).toMatchObject({ allowed: false, verdict: { lacking: [{ label: 'Riley Reader (riley.reader@contoso.com)' }] } });
    expect(documents[0]).toMatchObject({ fullname: 'dvas demo app', caller: null });
    expect(documents[1]).toMatchObject({ fullname: 'Sam Sales', caller: { fullname: 'dvas demo app' } });
    const accounts = documents[4] as Array<{ name: string }>;
    expect(accounts.map((row) => row.name).sort()).toEqual(['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.']);
    expect(documents[5]).toMatchObject({ createdbyname: 'Sam Sales', createdonbehalfbyname: 'dvas demo app' });
  });

  it("in process: the person's own DVAS_* settings do not change the tour", async () => {
    const run = await runCli(['demo'], { env: { DVAS_PROFILE: 'nope', DVAS_AS: 'riley.reader@contoso.com', DVAS_URL: 'https://contoso.crm.dynamics.com', NO_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    for (const marker of MARKERS) expect(run.stderr).toContain(marker);
  });

  it('passes -o on to every command', async () => {
    const run = await runCli(['demo', '-o', 'ndjson'], { env: { NO_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const lines = run.stdout.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    // -o ndjson asks for errors as JSON on stdout too: the two expected failures.
    expect(lines.filter((line) => line.startsWith('{"error"'))).toHaveLength(2);
  });
});
