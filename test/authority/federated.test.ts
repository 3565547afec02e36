import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, ServerError } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { decodeClaims, defaultScope, msalAuth, postJson, whoAmI } from './helpers.js';

const emulator = useEmulator();
const TRUSTED_SUBJECT = 'repo:contoso/dvas-demo:ref:refs/heads/main';
let directory = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dvas-federated-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** What a CI job does: fetch its workload token and write it to a file (AZURE_FEDERATED_TOKEN_FILE). */
async function tokenFile(body: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${emulator().url}/_emulator/federated-token`, body);
  expect(response.status).toBe(200);
  const file = join(directory, `token-${Math.random().toString(36).slice(2)}.jwt`);
  await writeFile(file, response.json.token);
  return file;
}

/** msal reads the file on each acquisition through the clientAssertion callback, as workload identity clients do. */
function federatedApp(file: string) {
  return new ConfidentialClientApplication({
    auth: { ...msalAuth(emulator(), DEMO_APP.clientId), clientAssertion: async () => (await readFile(file, 'utf8')).trim() },
  });
}

async function failureOf(file: string): Promise<ServerError> {
  const failure = await federatedApp(file)
    .acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ServerError);
  return failure as ServerError;
}

describe('client credentials with a federated workload token (msal-node clientAssertion)', () => {
  it('mints tokens as a workload identity platform would: RS256, the emulator’s issuer, api://AzureADTokenExchange', async () => {
    const response = await postJson(`${emulator().url}/_emulator/federated-token`, { subject: TRUSTED_SUBJECT });
    expect(response.json).toMatchObject({ issuer: `${emulator().url}/_emulator/federated`, subject: TRUSTED_SUBJECT });
    const [header] = String(response.json.token).split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    expect(decodeClaims(response.json.token)).toMatchObject({
      iss: `${emulator().url}/_emulator/federated`,
      sub: TRUSTED_SUBJECT,
      aud: 'api://AzureADTokenExchange',
    });
  });

  it('a token from a file, for a subject the application trusts, signs the application in', async () => {
    const result = await federatedApp(await tokenFile({ subject: TRUSTED_SUBJECT })).acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    const answer = await whoAmI(emulator(), result?.accessToken ?? '');
    expect(answer).toMatchObject({ status: 200, userId: user(emulator(), DEMO.app).systemuserid });
  });

  it('the in-process helper mints the same tokens', async () => {
    const file = join(directory, 'from-helper.jwt');
    await writeFile(file, await emulator().authority.mintFederatedToken('system:serviceaccount:default:dvas'));
    const result = await federatedApp(file).acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    expect((await whoAmI(emulator(), result?.accessToken ?? '')).status).toBe(200);
  });

  it('a subject the application does not trust is AADSTS700213', async () => {
    const failure = await failureOf(await tokenFile({ subject: 'repo:someone/else:ref:refs/heads/main' }));
    expect(failure.errorCode).toBe('invalid_client');
    expect(failure.errorMessage).toContain("AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:someone/else:ref:refs/heads/main'.");
  });

  it('another audience is AADSTS700212', async () => {
    const failure = await failureOf(await tokenFile({ subject: TRUSTED_SUBJECT, audience: 'api://SomethingElse' }));
    expect(failure.errorMessage).toContain("AADSTS700212: No matching federated identity record found for presented assertion audience 'api://SomethingElse'.");
  });

  it('a token from an issuer the emulator does not trust is AADSTS700211', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: 'https://token.actions.githubusercontent.com', sub: TRUSTED_SUBJECT, aud: 'api://AzureADTokenExchange', nbf: now, exp: now + 600 })}`;
    const file = join(directory, 'foreign.jwt');
    await writeFile(file, `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`);
    const failure = await failureOf(file);
    expect(failure.errorMessage).toContain("AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://token.actions.githubusercontent.com'.");
  });

  it('a token whose claims were changed after signing fails the signature check (AADSTS50013)', async () => {
    const untrusted = (await postJson(`${emulator().url}/_emulator/federated-token`, { subject: 'repo:attacker/x:ref:refs/heads/main' })).json.token as string;
    const [header, payload, signature] = untrusted.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: TRUSTED_SUBJECT })).toString('base64url')}.${signature}`;
    const file = join(directory, 'forged.jwt');
    await writeFile(file, forged);
    const failure = await failureOf(file);
    expect(failure.errorMessage).toContain('AADSTS50013: Assertion failed signature validation.');
  });

  it('the mint endpoint wants a subject', async () => {
    const response = await postJson(`${emulator().url}/_emulator/federated-token`, { audience: 'x' });
    expect(response).toMatchObject({ status: 400, json: { error: { code: 'bad_request' } } });
  });
});
