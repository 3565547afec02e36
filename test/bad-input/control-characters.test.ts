import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { quote, terminalSafe } from '../../src/output/terminal-text.js';
import { runCli, useTempConfigDir, type CliRun } from '../helpers/cli.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { api, DEMO, useEmulator } from '../helpers/emulator.js';
import { useRewritingProxy } from '../helpers/rewriting-proxy.js';

/** What a terminal acts on: C0 (but the line breaks dvas writes), DEL and C1 (CSI U+009B among them). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const ESC_CLEAR = '\u001b[2J';
const CSI_CLEAR = '\u009b2J';

function expectSafe(run: CliRun, label: string): void {
  expect(run.stdout + run.stderr, label).not.toMatch(RAW_CONTROL);
  expect(run.stderr, label).not.toMatch(/    at /);
}

/**
 * Terminal control characters are never echoed raw (issue 12): every piece of text that did not
 * come from dvas (what was typed, file names, the service's messages, table cells) reaches the
 * terminal with its control characters escaped, so the person sees them and the terminal does
 * not act on them.
 */
describe('bad input: control characters in what dvas echoes', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();

  it.each([ESC_CLEAR, CSI_CLEAR, '\u007f'])('in a table name (%j): exit 2, shown escaped, nothing sent', async (control) => {
    const before = emulator().stats.requests;
    const run = await dvas(DEMO.admin, ['get', `acc${control}ounts`]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(`error: ${quote(`acc${control}ounts`)} is not a table name`);
    expectSafe(run, control);
    expect(emulator().stats.requests).toBe(before);
  });

  it.each([ESC_CLEAR, CSI_CLEAR])('in --as (%j): exit 2, the name shown escaped, nothing sent', async (control) => {
    const before = emulator().stats.requests;
    const run = await dvas(DEMO.admin, ['whoami', '--as', `nobody${control}@contoso.com`]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(quote(`nobody${control}@contoso.com`));
    expectSafe(run, control);
    expect(emulator().stats.requests).toBe(before);
  });

  it.each([ESC_CLEAR, CSI_CLEAR])('in -p (%j): exit 3, nothing sent', async (control) => {
    const run = await runCli(['whoami', '-p', `dev${control}`], { env: { DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' } });
    expect(run.code).toBe(ExitCode.Config);
    expect(run.stderr).toContain(quote(`dev${control}`));
    expectSafe(run, control);
  });

  it.each([ESC_CLEAR, CSI_CLEAR])('in a profile name given to profile add (%j): exit 2, nothing written', async (control) => {
    const directory = newConfigDir();
    const run = await runCli(['profile', 'add', `dev${control}`, '--url', 'https://contoso.crm.dynamics.com'], { env: { DVAS_CONFIG_DIR: directory, NO_COLOR: '1' } });
    expect(run.code).not.toBe(ExitCode.Ok);
    expect(run.stderr).toContain(quote(`dev${control}`));
    expectSafe(run, control);
    expect((await runCli(['profile', 'list', '-o', 'json'], { env: { DVAS_CONFIG_DIR: directory } })).json()).toEqual([]);
  });

  it.each([ESC_CLEAR, CSI_CLEAR])('in a file path (%j): exit 2, nothing sent', async (control) => {
    const before = emulator().stats.requests;
    const run = await dvas(DEMO.admin, ['create', 'accounts', '--file', `/nonexistent/row${control}.json`]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(quote(`/nonexistent/row${control}.json`));
    expectSafe(run, control);
    expect(emulator().stats.requests).toBe(before);
  });

  it.each([ESC_CLEAR, CSI_CLEAR])('in a --filter the service echoes in its error (%j)', async (control) => {
    const run = await dvas(DEMO.admin, ['get', 'accounts', '--filter', `nosuchcolumn${control} eq 1`]);
    expect(run.code).toBe(ExitCode.Usage);
    expectSafe(run, control);
  });

  it.each([ESC_CLEAR, CSI_CLEAR])('in a row shown as a table on a terminal (%j)', async (control) => {
    const name = `Evil ${control}Corp`;
    await api(emulator(), 'POST', 'accounts', { as: DEMO.admin, body: { name, accountnumber: `CTRL-${control.length}-${control.charCodeAt(0)}` } });
    for (const argv of [['get', 'accounts', '--filter', `accountnumber eq 'CTRL-${control.length}-${control.charCodeAt(0)}'`], ['get', 'accounts', '--select', 'name,accountnumber', '--top', '50']]) {
      const run = await dvas(DEMO.admin, argv, { tty: { stdout: true, stderr: true } });
      expect(run.code, run.stderr).toBe(ExitCode.Ok);
      expect(run.stdout).toContain(terminalSafe(name));
      expectSafe(run, control);
    }
  });
});

describe("bad input: control characters in the service's own error text", () => {
  const emulator = useEmulator();
  const proxy = useRewritingProxy(() => emulator().url);
  const newConfigDir = useTempConfigDir();

  it.each([ESC_CLEAR, CSI_CLEAR])('a Dataverse error message and code holding %j are shown escaped', async (control) => {
    proxy.rewrite((request, answer) =>
      request.path.includes('/WhoAmI')
        ? { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: `0x8004${control}`, message: `Bad ${control}thing.` } }) }
        : answer,
    );
    const run = await runCli(['whoami', '--verbose'], {
      env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.admin), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' },
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(`error: Bad ${terminalSafe(control)}thing.`);
    expectSafe(run, control);
  });
});

describe('quote and terminalSafe', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['line\nbreak\ttab', '"line\\nbreak\\ttab"'],
    [`esc${ESC_CLEAR}`, '"esc\\u001b[2J"'],
    [`csi${CSI_CLEAR}`, '"csi\\u009b2J"'],
    ['del\u007f', '"del\\u007f"'],
    ['bidi\u202eevil\u2066', '"bidi\\u202eevil\\u2066"'],
    ['Zoë, Łódź, 東京', '"Zoë, Łódź, 東京"'],
  ])('quote(%j) is %s', (text, quoted) => {
    expect(quote(text)).toBe(quoted);
  });

  it('quote agrees with JSON.stringify wherever JSON escapes', () => {
    for (let code = 0; code < 0x20; code++) expect(quote(String.fromCharCode(code))).toBe(JSON.stringify(String.fromCharCode(code)));
  });
});
