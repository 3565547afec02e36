import { createHash, generateKeyPairSync, randomUUID, sign, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO_CERTIFICATE_PEM, DEMO_PRIVATE_KEY_PEM } from '../../src/emulator/seed/demo-certificate.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { defaultScope, msalAuth, postForm, tokenEndpoint, whoAmI } from './helpers.js';

const emulator = useEmulator();
const certificate = new X509Certificate(DEMO_CERTIFICATE_PEM);
const thumbprintSha256 = certificate.fingerprint256.replaceAll(':', '');
const thumbprintSha1 = certificate.fingerprint.replaceAll(':', '');
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function certificateApp(clientCertificate: { thumbprintSha256?: string; thumbprint?: string; privateKey: string; x5c?: string }) {
  return new ConfidentialClientApplication({ auth: { ...msalAuth(emulator(), DEMO_APP.clientId), clientCertificate } });
}

async function failureOf(promise: Promise<unknown>): Promise<ServerError> {
  const failure = await promise.catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ServerError);
  return failure as ServerError;
}

/** A client assertion signed by hand (RS256 with x5t), to reach the checks msal never gets wrong. */
function assertion(payload: Record<string, unknown>, privateKey: string = DEMO_PRIVATE_KEY_PEM): string {
  const x5t = createHash('sha1').update(certificate.raw).digest('base64url');
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', x5t })}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function assertionClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { aud: tokenEndpoint(emulator()), iss: DEMO_APP.clientId, sub: DEMO_APP.clientId, jti: randomUUID(), nbf: now, exp: now + 600, ...overrides };
}

function redeem(clientAssertion: string) {
  return postForm(tokenEndpoint(emulator()), {
    grant_type: 'client_credentials',
    client_id: DEMO_APP.clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: clientAssertion,
    scope: defaultScope(emulator()),
  });
}

describe('client credentials with the demo application’s certificate (msal-node)', () => {
  it('signs PS256 with x5t#S256 (thumbprintSha256) and gets a token the Web API accepts', async () => {
    const result = await certificateApp({ thumbprintSha256, privateKey: DEMO_PRIVATE_KEY_PEM, x5c: DEMO_CERTIFICATE_PEM }).acquireTokenByClientCredential({
      scopes: [defaultScope(emulator())],
    });
    const answer = await whoAmI(emulator(), result?.accessToken ?? '');
    expect(answer).toMatchObject({ status: 200, userId: user(emulator(), DEMO.app).systemuserid });
  });

  it('accepts RS256 with x5t too (the deprecated SHA-1 thumbprint)', async () => {
    const result = await certificateApp({ thumbprint: thumbprintSha1, privateKey: DEMO_PRIVATE_KEY_PEM }).acquireTokenByClientCredential({
      scopes: [defaultScope(emulator())],
    });
    expect((await whoAmI(emulator(), result?.accessToken ?? '')).status).toBe(200);
  });

  it('a key that is not the certificate’s fails the signature check (AADSTS700027)', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const failure = await failureOf(
      certificateApp({ thumbprintSha256, privateKey: otherKey }).acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] }),
    );
    expect(failure.errorCode).toBe('invalid_client');
    expect(failure.errorMessage).toContain('AADSTS700027: Client assertion contains an invalid signature. [Reason - The provided signature value did not match');
  });

  it('a certificate the application does not have is "key not found" (AADSTS700027)', async () => {
    const failure = await failureOf(
      certificateApp({ thumbprintSha256: 'ab'.repeat(32), privateKey: DEMO_PRIVATE_KEY_PEM }).acquireTokenByClientCredential({
        scopes: [defaultScope(emulator())],
      }),
    );
    expect(failure.errorCode).toBe('invalid_client');
    expect(failure.errorMessage).toContain(`[Reason - The key was not found., Thumbprint of key used by client: '${'AB'.repeat(32)}'`);
  });

  it('checks the audience (AADSTS700023), the client id (AADSTS700021) and the validity window (AADSTS700024)', async () => {
    const wrongAudience = await redeem(assertion(assertionClaims({ aud: 'https://login.microsoftonline.com/other/oauth2/v2.0/token' })));
    expect(wrongAudience).toMatchObject({ status: 401, json: { error: 'invalid_client', error_codes: [700023] } });

    const wrongSubject = await redeem(assertion(assertionClaims({ sub: '00000000-0000-0000-0000-000000000009' })));
    expect(wrongSubject).toMatchObject({ status: 401, json: { error: 'invalid_client', error_codes: [700021] } });

    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    const expired = await redeem(assertion(assertionClaims({ nbf: anHourAgo - 600, exp: anHourAgo })));
    expect(expired).toMatchObject({ status: 401, json: { error: 'invalid_client', error_codes: [700024] } });
    expect(String(expired.json.error_description)).toContain('Client assertion is not within its valid time range.');
  });

  it('accepts the issuer and the v1 token endpoint as audience, as Entra does', async () => {
    const issuer = `https://${new URL(emulator().url).host}/${emulator().tenantId}/v2.0`;
    expect((await redeem(assertion(assertionClaims({ aud: issuer })))).status).toBe(200);
    expect((await redeem(assertion(assertionClaims({ aud: `${emulator().url}/${emulator().tenantId}/oauth2/token` })))).status).toBe(200);
  });

  it('a malformed assertion or assertion type is invalid_request (AADSTS50027)', async () => {
    expect(await redeem('not-a-jwt')).toMatchObject({ status: 400, json: { error: 'invalid_request', error_codes: [50027] } });
    const wrongType = await postForm(tokenEndpoint(emulator()), {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
      client_assertion: assertion(assertionClaims()),
      scope: defaultScope(emulator()),
    });
    expect(wrongType).toMatchObject({ status: 400, json: { error_codes: [50027] } });
  });
});
