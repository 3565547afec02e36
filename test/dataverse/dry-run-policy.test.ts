import { describe, expect, it } from 'vitest';
import { DryRunStop, dryRunPolicy, type DryRunDocument } from '../../src/dataverse/dry-run.js';
import type { PipelineRequest, PipelineResponse } from '../../src/dataverse/pipeline.js';
import { RequestHeaders } from '../../src/http/headers.js';

/** The dry-run gate alone, with a fake `next`: what it sends, prints and throws. */
function gate(format: 'http' | 'json' = 'json') {
  const out = { stdout: '', stderr: '', sent: [] as string[] };
  const policy = dryRunPolicy({ offline: false, format }, { stdout: (text) => void (out.stdout += text), stderr: (text) => void (out.stderr += text) });
  const next = async (request: PipelineRequest): Promise<PipelineResponse> => {
    out.sent.push(`${request.method} ${request.url.toString()}`);
    return { status: 200, headers: {}, body: '{}' };
  };
  const send = async (method: PipelineRequest['method'], url: string, lookup = false) =>
    await policy.send({ method, url: new URL(url), headers: RequestHeaders.from({}), ...(lookup ? { lookup: true } : {}) }, next);
  return { out, send };
}

describe('the dry-run gate', () => {
  it('after printing one request, stops every later one, lookup or not, without printing or sending it', async () => {
    const { out, send } = gate();
    await expect(send('GET', 'https://org.example/api/data/v9.2/WhoAmI')).rejects.toBeInstanceOf(DryRunStop);
    const printed = out.stdout;
    await expect(send('GET', 'https://org.example/api/data/v9.2/roles')).rejects.toBeInstanceOf(DryRunStop);
    await expect(send('GET', 'https://org.example/api/data/v9.2/systemusers', true)).rejects.toBeInstanceOf(DryRunStop);
    expect(out.stdout).toBe(printed);
    expect(out.sent).toEqual([]);
    expect((JSON.parse(out.stdout) as DryRunDocument).requests).toHaveLength(1);
  });

  it('shows a lookup URL sanitized on stderr and in the document, and sends it as it is', async () => {
    const { out, send } = gate();
    await send('GET', 'https://org.example/api/data/v9.2/systemusers?$select=fullname&sig=s3cr3t', true);
    await expect(send('POST', 'https://org.example/api/data/v9.2/accounts')).rejects.toBeInstanceOf(DryRunStop);
    expect(out.stderr).toBe('Dry run: looking up GET https://org.example/api/data/v9.2/systemusers?$select=fullname&sig=REDACTED\n');
    expect((JSON.parse(out.stdout) as DryRunDocument).lookups).toEqual([{ method: 'GET', url: 'https://org.example/api/data/v9.2/systemusers?$select=fullname&sig=REDACTED' }]);
    expect(out.sent).toEqual(['GET https://org.example/api/data/v9.2/systemusers?$select=fullname&sig=s3cr3t']);
  });
});
