import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { createContext, type CliContext } from '../../src/context.js';
import { UsageError } from '../../src/errors.js';
import { parseAsUser } from '../../src/options/as-user.js';
import { readGlobalOptions, type GlobalOptions } from '../../src/options/global-options.js';
import { bufferIO, runCli } from '../helpers/cli.js';

const SAM_ID = '5a6b7c8d-0000-4000-8000-00000000000a';

/** Builds the real program, adds probe subcommands and returns the options a probe saw. */
async function optionsSeenBy(argv: string[], env: Record<string, string> = {}, tty = false): Promise<GlobalOptions> {
  const io = bufferIO({ stdout: tty, stderr: tty });
  const contextFor = (command: Command): CliContext =>
    createContext({ io, env, options: readGlobalOptions(command.optsWithGlobals(), env, io.isStdoutTTY), signal: new AbortController().signal, setExitCode: () => undefined });
  const program = buildProgram({ io, setExitCode: () => undefined, contextFor, handleInterruptsItself: () => undefined });
  let seen: CliContext | undefined;
  const probe = (parent: Command, name: string) =>
    parent.command(name).action((_options: unknown, command: Command) => {
      seen = contextFor(command);
    });
  probe(program, 'probe');
  probe(program.command('probe-group'), 'nested');
  await program.parseAsync(argv, { from: 'user' });
  if (!seen) throw new Error('the probe did not run');
  return seen.options;
}

describe('global options reach every subcommand (optsWithGlobals)', () => {
  it('before or after the subcommand, at any depth', async () => {
    const expected = { profile: 'prod', output: 'csv', outputRequested: true, color: false, verbose: true, dryRun: true, diagnose: false };
    const flags = ['-p', 'prod', '--as', SAM_ID, '-o', 'csv', '--no-color', '--verbose', '--dry-run', '--no-diagnose'];
    for (const argv of [[...flags, 'probe'], ['probe', ...flags], ['probe-group', 'nested', ...flags], [...flags.slice(0, 4), 'probe-group', 'nested', ...flags.slice(4)]]) {
      const options = await optionsSeenBy(argv);
      expect(options).toMatchObject(expected);
      expect(options.as).toEqual({ kind: 'systemuserid', id: SAM_ID, raw: SAM_ID });
    }
  });

  it('defaults: table on a terminal, json when piped; colour on; no --as', async () => {
    expect(await optionsSeenBy(['probe'], {}, true)).toEqual({ profile: undefined, as: undefined, output: 'table', outputRequested: false, color: true, verbose: false, dryRun: false, offline: false, diagnose: true });
    expect((await optionsSeenBy(['probe'], {}, false)).output).toBe('json');
  });

  it('--as falls back to DVAS_AS, and the flag wins', async () => {
    expect((await optionsSeenBy(['probe'], { DVAS_AS: 'sam@contoso.com' })).as).toEqual({ kind: 'name', name: 'sam@contoso.com', raw: 'sam@contoso.com' });
    expect((await optionsSeenBy(['probe', '--as', `aad:${SAM_ID}`], { DVAS_AS: 'sam@contoso.com' })).as).toMatchObject({ kind: 'object-id', id: SAM_ID });
  });
});

describe('parseAsUser', () => {
  it.each([
    [SAM_ID.toUpperCase(), { kind: 'systemuserid', id: SAM_ID }],
    [`aad:${SAM_ID}`, { kind: 'object-id', id: SAM_ID }],
    [`AAD:${SAM_ID}`, { kind: 'object-id', id: SAM_ID }],
    ['sam.sales@contoso.com', { kind: 'name', name: 'sam.sales@contoso.com' }],
    ['sam@contoso.onmicrosoft.com', { kind: 'name', name: 'sam@contoso.onmicrosoft.com' }],
    ['CONTOSO\\owen', { kind: 'name', name: 'CONTOSO\\owen' }],
    [' sam@contoso.com ', { kind: 'name', name: 'sam@contoso.com' }],
  ])('%j', (raw, expected) => {
    expect(parseAsUser(raw, '--as')).toMatchObject(expected);
  });

  it.each([
    ['a CR/LF header injection', `${SAM_ID}\r\nAuthorization: Bearer x`, /contains a control character/],
    ['a bare LF', 'sam@contoso.com\n', /contains a control character/],
    ['a NUL', 'sam\u0000@contoso.com', /contains a control character/],
    ['an escape sequence', '\u001b[2Jsam@contoso.com', /contains a control character: "\\u001b\[2Jsam@contoso.com"/],
    ['DEL', 'sam\u007f@contoso.com', /contains a control character/],
    ['too long', `${'a'.repeat(250)}@contoso.com`, /longer than 256 characters/],
    ['empty', '', /is empty/],
    ['aad: without a GUID', 'aad:sam', /must give a GUID after "aad:"/],
    ['a bare name', 'sam', /is not a user dvas can look up: "sam"/],
    ['a name with spaces', 'Sam Sales', /is not a user dvas can look up/],
    ['two @', 'a@b@c', /is not a user dvas can look up/],
  ])('rejects %s as a usage error', (_, raw, message) => {
    expect(() => parseAsUser(raw, '--as')).toThrow(UsageError);
    expect(() => parseAsUser(raw, '--as')).toThrow(message);
  });
});

describe('bad global options through main', () => {
  it.each([
    ['--as with CR/LF', ['--as', 'sam@contoso.com\r\nX-Evil: 1', 'profile', 'list'], {}, /^error: --as contains a control character: "sam@contoso.com\\r\\nX-Evil: 1"\.\nhint: Use a systemuserid GUID/],
    ['DVAS_AS that is no user form', ['profile', 'list'], { DVAS_AS: 'sam' }, /^error: DVAS_AS is not a user dvas can look up: "sam"\./],
    ['an unknown -o', ['-o', 'xml', 'profile', 'list'], {}, /^error: option '-o, --output <format>' argument 'xml' is invalid\. Allowed choices are table, json, ndjson, csv\./],
    ['an unknown global option', ['--bogus', 'profile', 'list'], {}, /^error: unknown option '--bogus'/],
  ])('%s exits 2', async (_, argv, env, message) => {
    const result = await runCli(argv, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
