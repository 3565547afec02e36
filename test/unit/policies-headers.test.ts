import { describe, expect, it } from 'vitest';
import { composePipeline, type PipelineRequest, type PipelineResponse } from '../../src/dataverse/pipeline.js';
import { impersonationPolicy } from '../../src/dataverse/policies/impersonation.js';
import { odataHeadersPolicy } from '../../src/dataverse/policies/odata-headers.js';
import { userAgentPolicy } from '../../src/dataverse/policies/user-agent.js';
import { RequestHeaders } from '../../src/http/headers.js';
import { UsageError } from '../../src/errors.js';

const OID = '0a1b2c3d-1111-2222-3333-444455556666';
const SYSTEMUSERID = '9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff';

function request(overrides: Partial<PipelineRequest> & { headers?: RequestHeaders } = {}): PipelineRequest {
  return { method: 'GET', url: new URL('https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI'), headers: RequestHeaders.from(), ...overrides };
}

/** A fake `next` that records what reached it. */
function recorder() {
  const seen: PipelineRequest[] = [];
  const next = async (sent: PipelineRequest): Promise<PipelineResponse> => {
    seen.push(sent);
    return { status: 200, headers: {}, body: '' };
  };
  return { seen, next, last: () => seen.at(-1)?.headers.toRecord() ?? {} };
}

describe('userAgent policy', () => {
  it('names dvas, its version and the runtime, after a caller prefix', async () => {
    const { next, last } = recorder();
    await userAgentPolicy({ version: '1.2.3', prefix: 'seed-script/2', runtime: 'node/20.20.0 linux-x64' }).send(request(), next);
    expect(last()['User-Agent']).toBe('seed-script/2 dvas/1.2.3 node/20.20.0 linux-x64');
  });

  it('leaves a User-Agent the call set itself', async () => {
    const { next, last } = recorder();
    await userAgentPolicy({ version: '1.2.3' }).send(request({ headers: RequestHeaders.from({ 'user-agent': 'mine' }) }), next);
    expect(last()).toEqual({ 'user-agent': 'mine' });
  });
});

describe('odataHeaders policy', () => {
  it('adds the headers every Web API call should carry, and no Content-Type without a body', async () => {
    const { next, last } = recorder();
    await odataHeadersPolicy().send(request(), next);
    expect(last()).toEqual({ Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0', 'If-None-Match': 'null' });
  });

  it('adds Content-Type for a body and merges the call preferences into Prefer', async () => {
    const { next, last } = recorder();
    const sent = request({
      method: 'POST',
      body: '{}',
      prefer: ['return=representation'],
      headers: RequestHeaders.from({ Prefer: 'odata.include-annotations="*"' }),
    });
    await odataHeadersPolicy().send(sent, next);
    expect(last()['Content-Type']).toBe('application/json; charset=utf-8');
    expect(last()['Prefer']).toBe('odata.include-annotations="*", return=representation');
  });

  it('keeps headers the call set itself, and sends no If-None-Match: null with a conditional If-Match', async () => {
    const { next, last } = recorder();
    const sent = request({ method: 'PATCH', body: '{}', headers: RequestHeaders.from({ accept: 'application/json;odata.metadata=full', 'If-Match': '*', 'content-type': 'application/json' }) });
    await odataHeadersPolicy().send(sent, next);
    expect(last()['accept']).toBe('application/json;odata.metadata=full');
    expect(last()['content-type']).toBe('application/json');
    expect(last()).not.toHaveProperty('If-None-Match');
  });

  it('keeps a caller If-None-Match (a conditional GET by ETag)', async () => {
    const { next, last } = recorder();
    await odataHeadersPolicy().send(request({ headers: RequestHeaders.from({ 'If-None-Match': 'W/"123"' }) }), next);
    expect(last()['If-None-Match']).toBe('W/"123"');
  });
});

describe('impersonation policy', () => {
  it.each([
    [{ kind: 'entra-object-id', objectId: OID } as const, 'CallerObjectId', OID],
    [{ kind: 'systemuserid', systemUserId: SYSTEMUSERID } as const, 'MSCRMCallerID', SYSTEMUSERID],
  ])('%o → %s', async (target, header, value) => {
    const { next, last } = recorder();
    await impersonationPolicy(target).send(request(), next);
    expect(last()).toEqual({ [header]: value });
  });

  it.each(['CallerObjectId', 'mscrmcallerid'])('a %s header the call set wins (and no second header is added)', async (header) => {
    const { next, last } = recorder();
    await impersonationPolicy({ kind: 'entra-object-id', objectId: OID }).send(request({ headers: RequestHeaders.from({ [header]: SYSTEMUSERID }) }), next);
    expect(last()).toEqual({ [header]: SYSTEMUSERID });
  });

  it('a call marked skipImpersonation runs as the signed-in identity', async () => {
    const { next, last } = recorder();
    await impersonationPolicy({ kind: 'entra-object-id', objectId: OID }).send(request({ skipImpersonation: true }), next);
    expect(last()).toEqual({});
  });

  it.each(['admin@contoso.com', `${OID}\r\nAuthorization: Bearer x`, ''])('refuses %j: only a GUID can go into the header', (value) => {
    expect(() => impersonationPolicy({ kind: 'entra-object-id', objectId: value })).toThrow(UsageError);
  });
});

describe('request headers', () => {
  it('match names case-insensitively, keep the first casing, and refuse line breaks', () => {
    const headers = RequestHeaders.from({ 'OData-Version': '4.0' }).set('odata-version', '4.01');
    expect(headers.entries()).toEqual([['OData-Version', '4.01']]);
    expect(() => headers.set('X-Test', 'a\r\nInjected: yes')).toThrow(UsageError);
  });
});

describe('composePipeline', () => {
  it('runs the policies outermost first, then the transport', async () => {
    const order: string[] = [];
    const policy = (name: string) => ({
      name,
      send: async (sent: PipelineRequest, next: (r: PipelineRequest) => Promise<PipelineResponse>) => {
        order.push(name);
        return next(sent);
      },
    });
    const send = composePipeline([policy('a'), policy('b')], async () => {
      order.push('transport');
      return { status: 204, headers: {}, body: '' };
    });
    expect((await send(request())).status).toBe(204);
    expect(order).toEqual(['a', 'b', 'transport']);
  });
});
