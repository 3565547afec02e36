import { ConfidentialClientApplication } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';
import { decodeClaims, defaultScope, msalAuth, whoAmI } from './helpers.js';

// The emulator's clock, moved by hand: a token expires without the test waiting for it.
const clock = new TestClock();
const emulator = useEmulator({ tokenLifetimeSeconds: 2, clock });

function secretApp() {
  return new ConfidentialClientApplication({ auth: { ...msalAuth(emulator(), DEMO_APP.clientId), clientSecret: DEMO_APP.clientSecret } });
}

describe('token lifetime (--token-lifetime)', () => {
  it('issues tokens for tokenLifetimeSeconds; the Web API accepts them, then answers 401 once they expire', async () => {
    const result = await secretApp().acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    const token = result?.accessToken ?? '';
    const claims = decodeClaims(token);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(2);
    expect((await whoAmI(emulator(), token)).status).toBe(200);
    await clock.advance(2100);
    const expired = await whoAmI(emulator(), token);
    expect(expired.status).toBe(401);
    expect(expired.challenge).toContain(`authorization_uri=${emulator().url}/${emulator().tenantId}/oauth2/authorize`);
  });

  it('msal does not reuse a token that close to expiry: the next acquisition asks the authority again', async () => {
    const app = secretApp();
    await app.acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    const before = emulator().authority.log.tokenRequests;
    const again = await app.acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    expect(again?.fromCache).toBe(false);
    expect(emulator().authority.log.tokenRequests).toBe(before + 1);
  });
});
