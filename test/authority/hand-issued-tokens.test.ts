import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { DEMO_APP, emulatorMsalAuthority, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { findPerson } from '../../src/emulator/authority/people.js';
import { decodeClaims, defaultScope, msalAuth, whoAmI } from './helpers.js';

/**
 * `issueToken` is what tests and the demo use instead of signing in; it must give the token a
 * sign-in would, or a test passes on a token no client ever gets. It finds people as the
 * authority's sign-in does, and builds claims with the grants' code.
 */
const PUBLIC_CLIENT = '51f81489-12ee-4a9e-aaae-a2591f45987d';
const emulator = useEmulator({ approveDeviceCodes: DEMO.sam });

/** The claims that are the same for two tokens of one sign-in: all but the times and the token id. */
function stableClaims(token: string): Record<string, unknown> {
  const { iat: _iat, nbf: _nbf, exp: _exp, uti: _uti, ...rest } = decodeClaims(token);
  return rest;
}

async function deviceCodeToken(instance: RunningEmulator): Promise<string> {
  const app = new PublicClientApplication({ auth: { clientId: PUBLIC_CLIENT, ...emulatorMsalAuthority(instance.url, instance.tenantId) } });
  const result = await app.acquireTokenByDeviceCode({ scopes: [`${instance.url}/user_impersonation`], deviceCodeCallback: () => undefined });
  return result?.accessToken ?? '';
}

describe('hand-issued tokens', () => {
  it("a person's is the device-code sign-in's token, claim for claim and in the same order", async () => {
    const signedIn = stableClaims(await deviceCodeToken(emulator()));
    const issued = stableClaims(emulator().issueToken(DEMO.sam));
    expect(issued).toEqual(signedIn);
    expect(Object.keys(issued)).toEqual(Object.keys(signedIn));
  });

  it("an application's is the client-credentials token", async () => {
    const app = new ConfidentialClientApplication({ auth: { ...msalAuth(emulator(), DEMO_APP.clientId), clientSecret: DEMO_APP.clientSecret } });
    const result = await app.acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    const signedIn = stableClaims(result?.accessToken ?? '');
    for (const who of [DEMO_APP.clientId, DEMO_APP.clientId.toUpperCase(), DEMO.app]) {
      const issued = stableClaims(emulator().issueToken(who));
      expect(issued).toEqual(signedIn);
      expect(Object.keys(issued)).toEqual(Object.keys(signedIn));
    }
  });

  it('names people as the sign-in does: email, UPN or id, in any case, with stray spaces', async () => {
    const sam = user(emulator(), DEMO.sam);
    for (const who of [` ${DEMO.sam.toUpperCase()} `, `${sam.domainname}\t`, ` ${sam.systemuserid.toUpperCase()}`]) {
      expect(await whoAmI(emulator(), emulator().issueToken(who))).toMatchObject({ status: 200, userId: sam.systemuserid });
    }
    expect(() => emulator().issueToken('nobody@contoso.com')).toThrow("The emulator has no user 'nobody@contoso.com'.");
  });

  it('a client id names no person to sign in as: the application user signs in with its own credentials', () => {
    const store = emulator().core.store;
    expect(() => findPerson(store, DEMO_APP.clientId)).toThrow(expect.objectContaining({ status: 404, code: 'unknown_user' }));
    expect(() => findPerson(store, DEMO.app)).toThrow(expect.objectContaining({ status: 400, code: 'not_a_person' }));
    expect(findPerson(store, ` ${DEMO.sam.toUpperCase()} `).systemuserid).toBe(user(emulator(), DEMO.sam).systemuserid);
  });
});
