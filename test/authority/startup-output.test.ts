import { createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { signInInfo, writeDemoCertificateFiles } from '../../src/emulator/authority/sign-in-info.js';
import { DEMO_APP, emulatorMsalAuthority, SeedError, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_CERTIFICATE_PEM, DEMO_PRIVATE_KEY_PEM } from '../../src/emulator/seed/demo-certificate.js';
import { bufferIO } from '../helpers/cli.js';
import { DEMO } from '../helpers/emulator.js';
import { until } from '../helpers/until.js';
import { postForm, whoAmI } from './helpers.js';

interface SignInLine {
  url: string;
  apiUrl: string;
  tenantId: string;
  authority: string;
  clientId: string;
  clientSecret: string;
  certificatePath: string;
  privateKeyPath: string;
  users: Array<{ internalemailaddress: string; systemuserid: string }>;
}

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dvas-authority-seed-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A target for msal that only needs the URL and tenant of the JSON line. */
const target = (info: Pick<SignInLine, 'url' | 'tenantId'>) => ({ url: info.url, apiUrl: `${info.url}/api/data/v9.2/`, tenantId: info.tenantId }) as RunningEmulator;

describe('dvas emulator --json: how to sign in', () => {
  it('prints the authority, the demo app’s id, secret and certificate files; device codes are approved as --approve-device-codes', async () => {
    const io = bufferIO();
    // In process, so that the real flag parsing and output run; stopped below with the signal the command waits for.
    const exited = main(['emulator', '--port', '0', '--json', '--approve-device-codes', DEMO.sam], { io, env: {} });
    await until(() => io.stdoutText().includes('\n'), 'the JSON line');
    const info = JSON.parse(io.stdoutText()) as SignInLine;
    expect(info).toMatchObject({
      authority: `${info.url}/${info.tenantId}`,
      clientId: DEMO_APP.clientId,
      clientSecret: DEMO_APP.clientSecret,
      certificatePath: expect.stringMatching(/dvas-demo-app\.crt\.pem$/),
      privateKeyPath: expect.stringMatching(/dvas-demo-app\.key\.pem$/),
    });
    expect((await stat(info.privateKeyPath)).mode & 0o777).toBe(0o600);

    const certificatePem = await readFile(info.certificatePath, 'utf8');
    const certificateApp = new ConfidentialClientApplication({
      auth: {
        clientId: info.clientId,
        ...emulatorMsalAuthority(info.url, info.tenantId),
        clientCertificate: {
          thumbprintSha256: new X509Certificate(certificatePem).fingerprint256.replaceAll(':', ''),
          privateKey: await readFile(info.privateKeyPath, 'utf8'),
        },
      },
    });
    const appToken = await certificateApp.acquireTokenByClientCredential({ scopes: [`${info.url}/.default`] });
    expect((await whoAmI(target(info), appToken?.accessToken ?? '')).status).toBe(200);

    const userSignIn = await new PublicClientApplication({
      auth: { clientId: '51f81489-12ee-4a9e-aaae-a2591f45987d', ...emulatorMsalAuthority(info.url, info.tenantId) },
    }).acquireTokenByDeviceCode({ scopes: [`${info.url}/user_impersonation`], deviceCodeCallback: () => undefined });
    const sam = info.users.find((candidate) => candidate.internalemailaddress === DEMO.sam);
    expect(await whoAmI(target(info), userSignIn?.accessToken ?? '')).toMatchObject({ status: 200, userId: sam?.systemuserid });

    process.emit('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(info.certificatePath) || existsSync(info.privateKeyPath)).toBe(false);
  });

  it('--approve-device-codes naming nobody who can sign in is a usage error', async () => {
    const io = bufferIO();
    expect(await main(['emulator', '--port', '0', '--approve-device-codes', DEMO.app], { io, env: {} })).toBe(2);
    expect(io.stderrText()).toContain(`Cannot approve device codes as '${DEMO.app}'`);
  });
});

describe('application certificates in a seed', () => {
  const seedWith = (certificate: string) => ({
    organization: { name: 'Fabrikam' },
    users: [{ fullname: 'Fabrikam app', email: 'app@fabrikam.example', application: { clientId: '6f1d9a52-0c3b-4e0a-9c55-3b7d0d1e2f00', certificate } }],
  });

  function certificateAssertion(emulator: RunningEmulator, clientId: string): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const x5t = createHash('sha1').update(new X509Certificate(DEMO_CERTIFICATE_PEM).raw).digest('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: `${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, exp: now + 600 };
    const input = `${encode({ alg: 'RS256', typ: 'JWT', x5t })}.${encode(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), DEMO_PRIVATE_KEY_PEM).toString('base64url')}`;
  }

  it('reads a certificate file named relative to the seed file', async () => {
    await writeFile(join(directory, 'app.crt.pem'), DEMO_CERTIFICATE_PEM);
    const seedFile = join(directory, 'seed.json');
    await writeFile(seedFile, JSON.stringify(seedWith('app.crt.pem')));
    const emulator = await startEmulator({ port: 0, seedFile });
    try {
      const clientId = '6f1d9a52-0c3b-4e0a-9c55-3b7d0d1e2f00';
      const response = await postForm(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`, {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: certificateAssertion(emulator, clientId),
        scope: `${emulator.url}/.default`,
      });
      expect(response.status).toBe(200);
      // The emulator holds the demo certificate's key, so it offers the files for this seed's app too.
      const files = await writeDemoCertificateFiles(emulator.authority);
      expect(signInInfo(emulator.authority, files)).toMatchObject({ clientId, clientSecret: null, certificatePath: expect.any(String) });
      await files?.remove();
    } finally {
      await emulator.close();
    }
  });

  it('offers no certificate files when the application is not registered with the demo certificate', async () => {
    const emulator = await startEmulator({
      port: 0,
      seed: {
        organization: { name: 'Fabrikam' },
        users: [{ fullname: 'Secret app', email: 'secret@fabrikam.example', application: { clientId: '6f1d9a52-0c3b-4e0a-9c55-3b7d0d1e2f01', clientSecret: 's' } }],
      },
    });
    try {
      expect(await writeDemoCertificateFiles(emulator.authority)).toBeUndefined();
      expect(signInInfo(emulator.authority, undefined)).toEqual({
        authority: `${emulator.url}/${emulator.tenantId}`,
        clientId: '6f1d9a52-0c3b-4e0a-9c55-3b7d0d1e2f01',
        clientSecret: 's',
        certificatePath: null,
        privateKeyPath: null,
      });
    } finally {
      await emulator.close();
    }
  });

  it('refuses a seed whose certificate is missing or not a certificate', async () => {
    await expect(startEmulator({ port: 0, seed: seedWith('no-such-file.pem') })).rejects.toThrow(SeedError);
    await expect(startEmulator({ port: 0, seed: seedWith('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n') })).rejects.toThrow(
      /not a valid PEM certificate/,
    );
  });
});
