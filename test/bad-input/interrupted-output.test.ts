import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { ensureBuilt } from '../helpers/build.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';
import { useRewritingProxy, type ProxiedAnswer } from '../helpers/rewriting-proxy.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * Interrupted or failed output never corrupts what was written (issue 12): once rows went to
 * stdout, the error goes to stderr only, a JSON array is closed, and the exit code (130 or the
 * failure's own) says the data is incomplete. The service fails (or stops answering) on the second
 * page, after the first page's rows were written.
 */
const emulator = useEmulator();
const proxy = useRewritingProxy(() => emulator().url);
const newConfigDir = useTempConfigDir();
const isSecondPage = (path: string) => path.includes('%24skiptoken=') || path.includes('$skiptoken=');

const env = () => ({ DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.admin), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' });
/** The emulator's next links name its own address: point them at the proxy, so every page goes through it. */
const throughProxy = (answer: ProxiedAnswer): ProxiedAnswer => ({ ...answer, body: answer.body.replaceAll(emulator().url, proxy.url()) });
const READ_ALL = ['get', 'accounts', '--all', '--page-size', '2', '--select', 'name'];

describe('bad input: output cut short by a failure mid-paging', () => {
  beforeAll(() => {
    proxy.rewrite((request, answer) =>
      isSecondPage(request.path)
        ? { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: '0x80040203', message: 'The paging cookie expired.' } }) }
        : throughProxy(answer),
    );
  });

  it('-o json: stdout is one JSON array of the first page, the error is on stderr only', async () => {
    const run = await runCli([...READ_ALL, '-o', 'json'], { env: env() });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    const rows = run.json() as Array<{ name: string }>;
    expect(rows).toHaveLength(2);
    expect(run.stdout).not.toContain('error');
    expect(run.stderr).toBe('error: The paging cookie expired. [0x80040203]\n' + run.stderr.slice(run.stderr.indexOf('\n') + 1));
    expect(run.stderr).not.toMatch(/    at /);
  });

  it('-o ndjson: every stdout line is a row, the error is on stderr only', async () => {
    const run = await runCli([...READ_ALL, '-o', 'ndjson'], { env: env() });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toHaveProperty('error');
    expect(run.stderr).toMatch(/^error: The paging cookie expired\. \[0x80040203\]\n/);
  });

  it('-o csv: the header and the first rows, no error line among them', async () => {
    const run = await runCli([...READ_ALL, '-o', 'csv'], { env: env() });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(run.stdout).not.toContain('paging cookie');
  });

  it('a failure before any row was written is still the JSON error on stdout, as scripts expect', async () => {
    proxy.rewrite((request, answer) =>
      request.path.includes('/accounts?')
        ? { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: '0x80040203', message: 'No.' } }) }
        : throughProxy(answer),
    );
    const run = await runCli([...READ_ALL, '-o', 'json'], { env: env() });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.json()).toMatchObject({ error: { code: '0x80040203', message: 'No.' } });
    proxy.rewrite(undefined);
  });
});

describe('bad input: Ctrl+C mid-paging (the real bin/dvas.js)', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it.each(['json', 'ndjson'])('-o %s: exit 130, what was written is still whole data, "Interrupted." on stderr', async (format) => {
    proxy.rewrite((_, answer) => throughProxy(answer));
    proxy.hold((request) => isSecondPage(request.path));
    // --verbose logs each request as it goes out: the second page's line means the first page's rows are written.
    let pressed = false;
    const run = await spawnDvas([...READ_ALL, '-o', format, '--verbose'], env(), {
      onStderr: (text, control) => {
        // Once: a second Ctrl+C is Node's own (exit at once), as bin/dvas.js intends.
        if (!pressed && /^> GET \S*skiptoken/m.test(text)) {
          pressed = true;
          control.interrupt();
        }
      },
    });
    proxy.hold(undefined);
    expect(run.code, run.stderr).toBe(ExitCode.Interrupted);
    if (format === 'json') expect(run.json()).toHaveLength(2);
    else expect(run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toHaveLength(2);
    expect(run.stdout).not.toContain('"error"');
    // (--verbose may still log the aborted request after it.)
    expect(run.stderr).toMatch(/^error: Interrupted\.$/m);
    expect(run.stderr).not.toMatch(/    at /);
  });
});

