import { describe, expect, it } from 'vitest';
import { promptHidden } from '../../src/auth/secret-prompt.js';
import { staticTokenProvider } from '../../src/auth/static-token.js';
import { ExitCode } from '../../src/exit-codes.js';
import { bufferIO } from '../dataverse/support.js';

const jwtWithExpiry = (exp: number) =>
  ['{"alg":"none"}', JSON.stringify({ exp })].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.';

describe('token from DVAS_ACCESS_TOKEN', () => {
  it('hands the token over, with its expiry read from the JWT', async () => {
    const token = jwtWithExpiry(2_000_000_000);
    expect(await staticTokenProvider({ DVAS_ACCESS_TOKEN: ` ${token}\n` }).getToken()).toEqual({ token, expiresOn: new Date(2_000_000_000_000) });
  });

  it('accepts an opaque token', async () => {
    expect((await staticTokenProvider({ DVAS_ACCESS_TOKEN: 'opaque' }).getToken()).token).toBe('opaque');
  });

  it('not set: exit 3 naming the variable', async () => {
    await expect(staticTokenProvider({}).getToken()).rejects.toMatchObject({ exitCode: ExitCode.Config, message: expect.stringContaining('DVAS_ACCESS_TOKEN') });
  });

  it('refused by Dataverse (a forced refresh): exit 4, since there is nothing to refresh', async () => {
    await expect(staticTokenProvider({ DVAS_ACCESS_TOKEN: 'x' }).getToken({ forceRefresh: true })).rejects.toMatchObject({ exitCode: ExitCode.Auth });
  });
});

describe('hidden prompt', () => {
  it('reads up to Enter, applies Backspace, echoes nothing', async () => {
    const io = bufferIO(true);
    const answer = promptHidden(io, 'Secret: ');
    io.type('s3cx\u007fret\r');
    expect(await answer).toBe('s3cret');
    expect(io.stderrText()).toBe('Secret: \n');
    expect(io.stdoutText()).toBe('');
  });

  it('Ctrl-C interrupts with exit 130', async () => {
    const io = bufferIO(true);
    const answer = promptHidden(io, 'Secret: ');
    io.type('abc\u0003');
    await expect(answer).rejects.toMatchObject({ exitCode: ExitCode.Interrupted });
  });

  it('the end of the input is an error, not an empty secret', async () => {
    const io = bufferIO(true);
    const answer = promptHidden(io, 'Secret: ');
    io.stdin.emit('end');
    await expect(answer).rejects.toMatchObject({ exitCode: ExitCode.Auth });
  });
});
