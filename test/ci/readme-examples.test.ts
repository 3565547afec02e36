import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { dvasInvocations, surfaceProblems } from '../helpers/dvas-command-lines.js';
import { asTestScript, runnableBlocks, RUNNABLE_MARKER, type RunnableBlock } from '../helpers/readme-blocks.js';

/**
 * The README's runnable examples (each ```sh block after a `<!-- runnable -->` line), run as a new
 * user would run them: with bash, `dvas` on the PATH as `npm link` puts it (the built bin), in a
 * fresh config directory, against an emulator started as "Try it" says (`dvas emulator --profile
 * demo`, whose profile becomes the default). One emulator for the file; the blocks run in README
 * order, in one working directory, so an example may use what an earlier one created, as a reader
 * following along would. A failing block is a README defect (or a product one).
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = runnableBlocks(README);
/** The emulator command of "Try it": the harness runs it. */
const EMULATOR_COMMAND = 'dvas emulator --profile demo';
/**
 * A block's line that starts an emulator ("Try it", or "From any language" in the background) is
 * served by the harness's own: the line is skipped, and the harness's `--json` line is in
 * emulator.json, where "From any language" tells its reader to keep it.
 */
const startsEmulator = (text: string) => /^dvas emulator\b/.test(text.trim());
/** Python examples need python3 with requests (on the test machines; a skip says so where not). */
const hasPythonRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

describe('the runnable-block marker', () => {
  it('picks the marked block only, and turns a line that says its exit code into a check', () => {
    const markdown = ['```sh', 'dvas unmarked', '```', RUNNABLE_MARKER, '```sh', 'dvas whoami', 'dvas can create accounts --as x   # no, exit 5: lacks it', '```'].join('\n');
    const [block, ...rest] = runnableBlocks(markdown);
    expect(rest).toEqual([]);
    expect(block?.line).toBe(6);
    const script = asTestScript(block!);
    expect(script).toMatch(/^set -euo pipefail\ndvas whoami\nif dvas can create accounts --as x; then .*README line 7.*\[ "\$status" -eq 5 \]/);
    expect(() => runnableBlocks(`${RUNNABLE_MARKER}\n\ntext`)).toThrow(/must be followed by a ```sh, ```js or ```python block/);
    expect(runnableBlocks(`${RUNNABLE_MARKER}\n\`\`\`python\nprint(1)\n\`\`\``)).toEqual([{ line: 3, language: 'python', code: 'print(1)' }]);
    // exit 0 is errexit's to check; a comment line after a command speaks for it.
    expect(asTestScript({ line: 1, language: 'sh', code: 'dvas login   # needs none, exit 0' })).toBe('set -euo pipefail\ndvas login   # needs none, exit 0\n');
    expect(asTestScript({ line: 1, language: 'sh', code: 'dvas can read accounts\n#   no, exit 5: out of reach' })).toMatch(/^set -euo pipefail\nif dvas can read accounts; then .*-eq 5 \]/);
  });
});

describe('the README', () => {
  it('closes every code block with a fence line of its own (text after it would swallow what follows)', () => {
    let open = false;
    const bad: string[] = [];
    README.split('\n').forEach((text, index) => {
      if (!text.startsWith('```')) return;
      if (open && text.trim() !== '```') bad.push(`line ${index + 1}: ${text}`);
      open = !open;
    });
    expect(bad).toEqual([]);
    expect(open).toBe(false);
  });

  it('marks the examples of the commands a new user runs against the emulator', () => {
    const commands = new Set(blocks.flatMap((block) => dvasInvocations(block.code).map((invocation) => invocation.command)));
    for (const command of ['whoami', 'get', 'create', 'update', 'delete', 'associate', 'api', 'roles', 'can', 'who-can', 'compare', 'users', 'profile list', 'profile show', 'login']) {
      expect(commands, `a runnable example of dvas ${command}`).toContain(command);
    }
  });

  it.each(blocks.map((block) => [block.line, block] as const))('block at line %i uses only commands and flags dvas has', (_line, block) => {
    expect(dvasInvocations(block.code).flatMap(surfaceProblems)).toEqual([]);
  });
});

describe('the README examples, run', () => {
  let work: string;
  let emulator: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'dvas-readme-'));
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'dvas'));
    mkdirSync(join(work, 'cwd'));
    // A JavaScript example imports 'dvas/emulator' as a project that installed dvas would, and
    // dynamics-web-api (a devDependency of dvas for this very example).
    mkdirSync(join(work, 'cwd', 'node_modules'));
    symlinkSync(ROOT, join(work, 'cwd', 'node_modules', 'dvas'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', 'dynamics-web-api'), join(work, 'cwd', 'node_modules', 'dynamics-web-api'), 'dir');
    // The person's own DVAS_* and AZURE_* settings would change what the examples do.
    const own = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DVAS_|AZURE_)/.test(name)));
    env = { ...own, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, DVAS_CONFIG_DIR: join(work, 'config'), NO_COLOR: '1' };
    const [command, ...args] = EMULATOR_COMMAND.split(' ').slice(1);
    emulator = spawn(process.execPath, [BIN, command ?? '', ...args, '--json'], { cwd: join(work, 'cwd'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      emulator?.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      emulator?.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!stdout.includes('\n')) return;
        writeFileSync(join(work, 'cwd', 'emulator.json'), stdout.slice(0, stdout.indexOf('\n') + 1));
        resolve();
      });
      emulator?.on('exit', (code) => reject(new Error(`the emulator exited (${code}): ${stderr}`)));
    });
  }, 180_000);

  afterAll(() => {
    emulator?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it.for<[number, RunnableBlock]>(blocks.map((block) => [block.line, block]))('block at line %i runs as shown', { timeout: 60_000 }, async ([, block]: [number, RunnableBlock], ctx: TestContext) => {
    const code = block.code
      .split('\n')
      .map((text: string) => (startsEmulator(text) ? '' : text))
      .join('\n');
    const cwd = join(work, 'cwd');
    let result: { code: number | null; stdout: string; stderr: string };
    if (block.language === 'js') {
      const file = join(cwd, `readme-line-${block.line}.mjs`);
      writeFileSync(file, block.code);
      result = await runProcess(process.execPath, [file], cwd, env);
    } else if (block.language === 'python') {
      if (!hasPythonRequests) ctx.skip('python3 with requests is not installed');
      const file = join(cwd, `readme-line-${block.line}.py`);
      writeFileSync(file, block.code);
      result = await runProcess('python3', [file], cwd, env);
    } else {
      result = await runProcess('bash', ['-c', asTestScript({ ...block, code })], cwd, env);
    }
    expect(result, `README block at line ${block.line}:\n${block.code}\n\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toMatchObject({ code: 0 });
  });
});

function runProcess(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
