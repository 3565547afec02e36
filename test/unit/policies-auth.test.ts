import { describe, expect, it } from 'vitest';
import type { TokenProvider } from '../../src/auth/token-provider.js';
import type { PipelineRequest, PipelineResponse } from '../../src/dataverse/pipeline.js';
import { authPolicy } from '../../src/dataverse/policies/auth.js';
import { RequestHeaders } from '../../src/http/headers.js';

const ORIGIN = 'https://contoso.crm.dynamics.com';

function request(url = `${ORIGIN}/api/data/v9.2/WhoAmI`): PipelineRequest {
  return { method: 'GET', url: new URL(url), headers: RequestHeaders.from() };
}

/** Hands out token-1, token-2… and records whether each call forced a refresh. */
function countingProvider() {
  const calls: boolean[] = [];
  const provider: TokenProvider = {
    getToken: async (options) => {
      calls.push(options?.forceRefresh === true);
      return { token: `token-${calls.length}`, expiresOn: new Date(Date.now() + 3600_000) };
    },
  };
  return { provider, calls };
}

function answering(...statuses: number[]) {
  const seen: string[] = [];
  const next = async (sent: PipelineRequest): Promise<PipelineResponse> => {
    seen.push(sent.headers.get('authorization') ?? '');
    return { status: statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 200, headers: {}, body: '' };
  };
  return { next, seen };
}

describe('auth policy', () => {
  it('signs the request with a bearer token', async () => {
    const { provider, calls } = countingProvider();
    const { next, seen } = answering(200);
    await authPolicy(provider, ORIGIN).send(request(), next);
    expect(seen).toEqual(['Bearer token-1']);
    expect(calls).toEqual([false]);
  });

  it('on a 401 forces one refresh and sends once more with the new token', async () => {
    const { provider, calls } = countingProvider();
    const { next, seen } = answering(401, 200);
    expect((await authPolicy(provider, ORIGIN).send(request(), next)).status).toBe(200);
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(calls).toEqual([false, true]);
  });

  it('a second 401 goes back to the caller: only one refresh', async () => {
    const { provider, calls } = countingProvider();
    const { next, seen } = answering(401, 401, 200);
    expect((await authPolicy(provider, ORIGIN).send(request(), next)).status).toBe(401);
    expect(seen).toHaveLength(2);
    expect(calls).toEqual([false, true]);
  });

  it('gets the token for each attempt, so a retry after a long wait is signed with a current one', async () => {
    const { provider } = countingProvider();
    const { next, seen } = answering(200);
    const policy = authPolicy(provider, ORIGIN);
    await policy.send(request(), next);
    await policy.send(request(), next);
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('never sends the token to another origin', async () => {
    const { provider, calls } = countingProvider();
    const { next, seen } = answering(200);
    await expect(authPolicy(provider, ORIGIN).send(request('https://attacker.example.com/api/data/v9.2/accounts'), next)).rejects.toThrow(/Refusing/);
    expect(seen).toEqual([]);
    expect(calls).toEqual([]);
  });
});
