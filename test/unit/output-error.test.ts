import { Chalk } from 'chalk';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError, ConfigError, UsageError } from '../../src/errors.js';
import { ExitCode } from '../../src/exit-codes.js';
import { describeError, formatErrorJson, formatErrorText } from '../../src/output/error.js';

const chalk = new Chalk({ level: 0 });
const denied = new CliError('Sam Sales lacks the privilege to read accounts.', {
  exitCode: ExitCode.PrivilegeDenied,
  code: '0x80040220',
  status: 403,
  hint: 'Give the user a role with Read on Account.',
  detail: 'GET https://contoso.crm.dynamics.com/api/data/v9.2/accounts\nAuthorization: REDACTED',
  cause: new Error('the underlying failure'),
});

describe('describeError', () => {
  it.each([
    ['a CliError keeps its exit code, code, status, hint and detail', denied, ExitCode.PrivilegeDenied, '0x80040220', 403],
    ['a UsageError exits 2', new UsageError('--top must be a number.'), ExitCode.Usage, undefined, undefined],
    ['a ConfigError exits 3', new ConfigError('No connection profile is configured.'), ExitCode.Config, undefined, undefined],
    ['a commander error is a usage error', new CommanderError(1, 'commander.unknownOption', "error: unknown option '--bogus'\n(Did you mean --profile?)"), ExitCode.Usage, undefined, undefined],
    ['anything else is an internal error (a bug)', new TypeError('x is undefined'), ExitCode.Internal, undefined, undefined],
  ])('%s', (_, error, exitCode, code, status) => {
    const report = describeError(error);
    expect(report.exitCode).toBe(exitCode);
    expect(report.code).toBe(code);
    expect(report.status).toBe(status);
  });

  it("turns commander's two-line message into one sentence without the 'error:' prefix", () => {
    const report = describeError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--bogus'\n(Did you mean --profile?)"));
    expect(report.message).toBe("unknown option '--bogus' (Did you mean --profile?)");
    expect(report.hint).toMatch(/--help/);
  });
});

describe('formatErrorText', () => {
  it('is one sentence with the Dataverse code, then the hint; no detail, no stack', () => {
    const text = formatErrorText(describeError(denied), { verbose: false, debug: false, chalk });
    expect(text).toBe('error: Sam Sales lacks the privilege to read accounts. [0x80040220]\nhint: Give the user a role with Read on Account.\n');
  });

  it('adds the detail the client attached under --verbose', () => {
    const text = formatErrorText(describeError(denied), { verbose: true, debug: false, chalk });
    expect(text).toContain('\nGET https://contoso.crm.dynamics.com/api/data/v9.2/accounts\nAuthorization: REDACTED\n');
    expect(text).not.toContain('    at ');
  });

  it('adds the stack and the cause chain only with DVAS_DEBUG=1', () => {
    const text = formatErrorText(describeError(denied), { verbose: false, debug: true, chalk });
    expect(text).toMatch(/CliError: Sam Sales lacks/);
    expect(text).toMatch(/\n {4}at /);
    expect(text).toContain('caused by: Error: the underlying failure');
  });

  it('says an unexpected error is a bug and how to report it', () => {
    const text = formatErrorText(describeError(new TypeError('x is undefined')), { verbose: false, debug: false, chalk });
    expect(text).toBe('error: dvas failed unexpectedly: x is undefined\nhint: Run again with DVAS_DEBUG=1 for the stack trace, and report it.\n');
  });
});

describe('formatErrorJson', () => {
  it('is {"error":{code,message,hint,status}} pretty-printed for json', () => {
    const text = formatErrorJson(describeError(denied), 'json');
    expect(JSON.parse(text)).toEqual({
      error: { code: '0x80040220', message: 'Sam Sales lacks the privilege to read accounts.', hint: 'Give the user a role with Read on Account.', status: 403 },
    });
    expect(text).toContain('\n  "error": {');
  });

  it('has every key even when unknown (null), and one line for ndjson', () => {
    const text = formatErrorJson(describeError(new ConfigError('No connection profile is configured.')), 'ndjson');
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual({ error: { code: null, message: 'No connection profile is configured.', hint: null, status: null } });
  });

  it('never carries the verbose detail (it is for people)', () => {
    expect(formatErrorJson(describeError(denied), 'json')).not.toContain('REDACTED');
  });
});
