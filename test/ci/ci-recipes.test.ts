import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { dvasInvocations, surfaceProblems } from '../helpers/dvas-command-lines.js';

/**
 * The CI recipes of docs/examples/ci/: each YAML file parses (with a maintained YAML parser,
 * duplicate keys refused) and has the shape its CI system runs, every `dvas …` it runs names a
 * command and flags that exist (test/contract/command-surface.json), and the offline seeding
 * script is run for real against the built CLI and an emulator it starts itself.
 */
const CI = join(ROOT, 'docs', 'examples', 'ci');
const run = promisify(execFile);

type Yaml = Record<string, unknown>;
type Step = { name?: string; uses?: string; run?: string; script?: string; task?: string; condition?: string; env?: Record<string, string>; with?: Yaml; inputs?: Yaml };

function loadYaml(file: string): Yaml {
  const document = parseDocument(readFileSync(join(CI, file), 'utf8'), { uniqueKeys: true, prettyErrors: true });
  expect(document.errors.map(String), `${file} parses`).toEqual([]);
  expect(document.warnings.map(String), `${file} parses without warnings`).toEqual([]);
  return document.toJS() as Yaml;
}

/** Every dvas invocation of the steps' shell text, each checked against the command surface. */
function checkDvasCommands(steps: Step[]): string[] {
  const invocations = steps.flatMap((step) => dvasInvocations(step.run ?? step.script ?? ''));
  expect(invocations.length).toBeGreaterThan(0);
  expect(invocations.flatMap(surfaceProblems)).toEqual([]);
  return invocations.map((invocation) => invocation.text);
}

describe('the check of dvas command lines', () => {
  it('finds the invocations of a shell text and names unknown commands and flags', () => {
    const shell = 'set -e\nX=1 dvas create accounts --file a.ndjson \\\n  --shrad 1/4 -o json > out.json && dvas whoami --as sam | tee x\nexec dvas emulatr --port 0 # --nope\n';
    const invocations = dvasInvocations(shell);
    expect(invocations.map(({ command, flags }) => ({ command, flags }))).toEqual([
      { command: 'create', flags: ['--file', '--shrad', '-o'] },
      { command: 'whoami', flags: ['--as'] },
      { command: 'emulatr', flags: ['--port'] },
    ]);
    expect(invocations.flatMap(surfaceProblems)).toEqual([
      expect.stringContaining("'dvas create' has no flag --shrad"),
      expect.stringContaining("unknown command 'emulatr'"),
    ]);
    expect(surfaceProblems(dvasInvocations('dvas profile add ci --url https://x --no-color')[0]!)).toEqual([]);
  });
});

describe('the GitHub Actions recipe with workload identity and a --shard matrix', () => {
  const workflow = loadYaml('github-actions-seed.yml');
  const jobs = workflow.jobs as Record<string, { 'runs-on': string; strategy: { 'fail-fast': boolean; matrix: { shard: number[] } }; env: Record<string, string>; steps: Step[] }>;
  const job = Object.values(jobs)[0];

  it('is a workflow whose job may ask GitHub for an OIDC token', () => {
    expect(workflow.on).toBeDefined();
    expect(workflow.permissions).toMatchObject({ 'id-token': 'write' });
    expect(Object.keys(jobs)).toHaveLength(1);
    expect(job?.['runs-on']).toBeTypeOf('string');
  });

  it('has a matrix of shards 1…N that does not cancel the other shards on a failure', () => {
    const shards = job?.strategy.matrix.shard ?? [];
    expect(shards.length).toBeGreaterThan(1);
    expect(shards).toEqual(shards.map((_, index) => index + 1));
    expect(job?.strategy['fail-fast']).toBe(false);
  });

  it('signs in by workload identity: the variables dvas reads, no secret', () => {
    expect(Object.keys(job?.env ?? {})).toEqual(expect.arrayContaining(['DVAS_URL', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_FEDERATED_TOKEN_FILE']));
    expect(JSON.stringify(workflow)).not.toMatch(/SECRET/);
    // The token file is written by a step before the first dvas command.
    const steps = job?.steps ?? [];
    const writes = steps.findIndex((step) => /ACTIONS_ID_TOKEN_REQUEST_URL[\s\S]*> "\$AZURE_FEDERATED_TOKEN_FILE"/.test(step.run ?? ''));
    const firstDvas = steps.findIndex((step) => dvasInvocations(step.run ?? '').length > 0);
    expect(writes).toBeGreaterThanOrEqual(0);
    expect(writes).toBeLessThan(firstDvas);
    expect(steps.every((step) => step.uses !== undefined || step.run !== undefined)).toBe(true);
  });

  it('creates each shard K/N with its own report, with commands and flags dvas has', () => {
    const shards = job?.strategy.matrix.shard.length;
    const commands = checkDvasCommands(job?.steps ?? []);
    const create = commands.find((text) => text.startsWith('dvas create'));
    expect(create).toContain(`--shard \${{ matrix.shard }}/${shards}`);
    expect(create).toMatch(/--report \S*\$\{\{ matrix\.shard \}\}\S*\.ndjson/);
    expect(create).toMatch(/--file \S+\.ndjson/);
    const upload = job?.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.path).toContain('seed-report-${{ matrix.shard }}.ndjson');
  });
});

describe('the Azure DevOps recipe with a client secret', () => {
  const pipeline = loadYaml('azure-devops-seed.yml');
  const steps = pipeline.steps as Step[];

  it('is a pipeline of steps, each a script, a task or the checkout', () => {
    expect(pipeline.pool).toBeDefined();
    expect(steps.length).toBeGreaterThan(2);
    for (const step of steps) expect(step.script ?? step.task ?? (step as { checkout?: string }).checkout).toBeTypeOf('string');
  });

  it('maps the secret variable into every step that runs dvas, as a variable dvas reads', () => {
    const withDvas = steps.filter((step) => dvasInvocations(step.script ?? '').length > 0);
    expect(withDvas.length).toBeGreaterThan(0);
    for (const step of withDvas) {
      expect(step.env).toMatchObject({ DVAS_URL: expect.any(String), AZURE_TENANT_ID: expect.any(String), AZURE_CLIENT_ID: expect.any(String) });
      // A secret variable reaches a script only when mapped, and only through a macro, never as text.
      expect(step.env?.AZURE_CLIENT_SECRET ?? step.env?.DVAS_CLIENT_SECRET).toMatch(/^\$\([A-Z_]+\)$/);
    }
  });

  it('runs commands and flags dvas has, keeping the report', () => {
    const commands = checkDvasCommands(steps);
    expect(commands.find((text) => text.startsWith('dvas create'))).toMatch(/--report \S+/);
    const publish = steps.find((step) => step.task?.startsWith('PublishPipelineArtifact'));
    expect(publish?.condition).toBe('always()');
  });
});

describe('the offline test pipeline', () => {
  const workflow = loadYaml('github-actions-offline-tests.yml');
  const jobs = workflow.jobs as Record<string, { steps: Step[] }>;
  const steps = Object.values(jobs).flatMap((job) => job.steps);

  it('runs the seeding script on a data file of the repository, then the tests', () => {
    const seeding = steps.find((step) => step.run?.includes('seed-offline.sh'));
    const words = seeding?.run?.split(/\s+/) ?? [];
    const script = words.find((word) => word.endsWith('seed-offline.sh'));
    const data = words[words.indexOf(script ?? '') + 1];
    expect(readFileSync(join(ROOT, script ?? ''), 'utf8')).toMatch(/^#!\/usr\/bin\/env bash/);
    expect(readFileSync(join(ROOT, data ?? ''), 'utf8')).toContain('"@as"');
    expect(seeding?.run).toMatch(/ -- npm test$/);
  });

  it('and the script runs only commands and flags dvas has', () => {
    const invocations = dvasInvocations(readFileSync(join(CI, 'seed-offline.sh'), 'utf8'));
    expect(invocations.map((invocation) => invocation.command)).toEqual(expect.arrayContaining(['emulator', 'create', 'get']));
    expect(invocations.flatMap(surfaceProblems)).toEqual([]);
  });
});

describe('seed-offline.sh, run', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'dvas-recipe-'));
    // `dvas` on the PATH as `npm link` puts it: the built bin.
    symlinkSync(BIN, join(work, 'dvas'));
    const own = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DVAS_|AZURE_)/.test(name)));
    env = { ...own, PATH: `${work}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true' };
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('seeds the rows as their users into an emulator it starts, runs the command against it, and stops it', async () => {
    const rows = join(work, 'rows.json');
    const startup = join(work, 'startup.json');
    const command = `dvas get accounts --filter "startswith(name,'Seed ')" --select name,_createdby_value -o json > '${rows}'; printf '%s' "$DVAS_EMULATOR_JSON" > '${startup}'`;
    const { stdout, stderr } = await run('bash', [join(CI, 'seed-offline.sh'), join(CI, 'accounts.ndjson'), 'accounts', '--', 'bash', '-c', command], { env, timeout: 90_000 });

    expect(JSON.parse(stdout)).toMatchObject({ table: 'account', rows: 5, created: 5, failed: 0 });
    expect(stderr).toContain('5 rows of');
    const emulator = JSON.parse(readFileSync(startup, 'utf8')) as { url: string; clientId: string; users: Array<{ systemuserid: string; internalemailaddress: string; applicationid: string | null }> };
    const idOf = (email: string) => emulator.users.find((user) => user.internalemailaddress === email)?.systemuserid;
    const app = emulator.users.find((user) => user.applicationid === emulator.clientId)?.systemuserid;
    const seeded = (JSON.parse(readFileSync(rows, 'utf8')) as Array<{ name: string; _createdby_value: string }>).map((row) => [row.name, row._createdby_value]);
    expect(seeded.sort()).toEqual(
      [
        ['Seed Litware', app],
        ['Seed Northwind Traders', idOf('sam.sales@contoso.com')],
        ['Seed Tailspin Toys', idOf('sam.sales@contoso.com')],
        ['Seed Wide World Importers', idOf('admin@contoso.com')],
        ['Seed Woodgrove Bank', idOf('admin@contoso.com')],
      ].sort(),
    );
    // The emulator went with the script: its port no longer answers.
    await expect(fetch(`${emulator.url}/api/data/v9.2/WhoAmI`)).rejects.toThrow();
  }, 90_000);

  it("fails, without running the command, when the file's rows cannot be seeded", async () => {
    const bad = join(work, 'bad.ndjson');
    const marker = join(work, 'ran');
    writeFileSync(bad, '{"name":"Seed ok"}\n{"nmae":"Seed typo"}\n');
    const failed = await run('bash', [join(CI, 'seed-offline.sh'), bad, '--', 'touch', marker], { env, timeout: 60_000 }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(2);
    // Under -o json the error is on stdout, as `{"error": …}`.
    expect((JSON.parse(failed?.stdout ?? '{}') as { error?: { message: string } }).error?.message).toContain('line 2: unknown column "nmae" in account');
    expect(() => readFileSync(marker)).toThrow();
  }, 60_000);
});
