import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import { createRowAs, MISSING_ID } from '../helpers/rows.js';
import { TestClock } from '../helpers/test-clock.js';

const OTTO = { fullname: 'Otto OnPrem', email: 'otto.onprem@contoso.com', domainname: 'CONTOSO\\otto', objectId: null, roles: ['Salesperson'] };

describe('dvas api', () => {
  const emulator = useEmulator({ seed: demoSeedWith(OTTO) });
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();
  const sent = (from: number) => emulator().requestLog.entries.slice(from);

  it('GET WhoAmI: the body as the service sent it, unchanged when piped', async () => {
    const run = await dvas(DEMO.admin, ['api', 'GET', 'WhoAmI']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ UserId: user(emulator(), DEMO.admin).systemuserid });
    expect(run.stdout.trimEnd()).not.toContain('\n');
  });

  it('pretty-prints JSON on a terminal, with control characters from the service made visible', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Evil \u001b[2J name' });
    const run = await dvas(DEMO.admin, ['api', 'get', `accounts(${id})?$select=name`], { tty: { stdout: true } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('\n  "name": "Evil \\u001b[2J name"');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('a relative path with a query, an origin-relative path and a full URL of the environment reach the same place', async () => {
    const from = emulator().requestLog.entries.length;
    for (const path of ["accounts?$select=name&$filter=name eq 'Fourth Coffee'", "/api/data/v9.2/accounts?$select=name&$filter=name eq 'Fourth Coffee'", `${emulator().url}/api/data/v9.2/accounts?$select=name&$filter=name eq 'Fourth Coffee'`]) {
      const run = await dvas(DEMO.admin, ['api', 'GET', path]);
      expect(run.code, run.stderr).toBe(0);
      expect((run.json() as { value: Array<{ name: string }> }).value.map((row) => row.name)).toEqual(['Fourth Coffee']);
    }
    expect(new Set(sent(from).map((entry) => decodeURIComponent(entry.target)))).toEqual(new Set(["/api/data/v9.2/accounts?$select=name&$filter=name eq 'Fourth Coffee'"]));
  });

  it('POST with --data, PATCH with -H If-Match, DELETE: the answers as sent, --include shows status and headers', async () => {
    const created = await dvas(DEMO.admin, ['api', 'POST', 'accounts', '--data', '{"name":"Made by api"}', '--include']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^HTTP\/1\.1 204 No Content\n/);
    const id = /odata-entityid: \S+\/accounts\(([0-9a-f-]{36})\)\n/.exec(created.stdout)?.[1] ?? '';
    expect(emulator().core.store.rows('account').get(id)?.name).toBe('Made by api');
    const patched = await dvas(DEMO.admin, ['api', 'PATCH', `accounts(${id})`, '-H', 'If-Match: *', '-H', 'Prefer: return=representation', '--data', '{"telephone1":"555-0199"}']);
    expect(patched.code, patched.stderr).toBe(0);
    expect(patched.json()).toMatchObject({ accountid: id, telephone1: '555-0199' });
    const deleted = await dvas(DEMO.admin, ['api', 'DELETE', `accounts(${id})`, '-i']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/^HTTP\/1\.1 204 No Content\n/);
    expect(emulator().core.store.rows('account').get(id)).toBeUndefined();
  });

  it('a body from stdin, and a non-JSON body with its own Content-Type goes as typed', async () => {
    const run = await dvas(DEMO.admin, ['api', 'POST', 'accounts', '-'], { stdin: '{"name":"From stdin"}' });
    expect(run.code, run.stderr).toBe(0);
    const from = emulator().requestLog.entries.length;
    const batch = await dvas(DEMO.admin, ['api', 'POST', '$batch', '-H', 'Content-Type: multipart/mixed; boundary=b1', '--data', '--b1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET WhoAmI HTTP/1.1\r\nAccept: application/json\r\n\r\n--b1--\r\n']);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stdout).toContain('UserId');
    expect(sent(from)[0]?.headers['content-type']).toBe('multipart/mixed; boundary=b1');
  });

  describe('--paginate', () => {
    it('-o ndjson streams every row of every page; -o json gathers them into one document', async () => {
      const args = ['api', 'GET', 'contacts?$select=fullname', '-H', 'Prefer: odata.maxpagesize=3', '--paginate'];
      const from = emulator().requestLog.entries.length;
      const lines = await dvas(DEMO.admin, [...args, '-o', 'ndjson']);
      expect(lines.code, lines.stderr).toBe(0);
      const total = emulator().core.store.rows('contact').size;
      expect(lines.stdout.trim().split('\n')).toHaveLength(total);
      expect(sent(from)).toHaveLength(Math.ceil(total / 3));
      expect(sent(from).every((entry) => entry.headers.prefer?.includes('odata.maxpagesize=3'))).toBe(true);
      const merged = await dvas(DEMO.admin, [...args, '-o', 'json']);
      const document = merged.json() as Record<string, unknown> & { value: unknown[] };
      expect(document.value).toHaveLength(total);
      expect(document['@odata.nextLink']).toBeUndefined();
      expect(document['@odata.context']).toMatch(/\$metadata#contacts\(fullname\)$/);
    });

    it('without --paginate, one page and its @odata.nextLink', async () => {
      const run = await dvas(DEMO.admin, ['api', 'GET', 'contacts?$select=fullname', '-H', 'Prefer: odata.maxpagesize=3']);
      const body = run.json() as { value: unknown[]; '@odata.nextLink'?: string };
      expect(body.value).toHaveLength(3);
      expect(body['@odata.nextLink']).toMatch(/^http:\/\/127\.0\.0\.1/);
    });
  });

  describe('bad input: exit 2, one sentence, nothing sent', () => {
    it.each<[string, string[], RegExp]>([
      ['an unknown method', ['FETCH', 'WhoAmI'], /^error: "FETCH" is not an HTTP method dvas sends/],
      ['-H Authorization', ['GET', 'WhoAmI', '-H', 'Authorization: Bearer stolen'], /^error: -H Authorization is not allowed: dvas signs in itself/],
      ['-H CallerObjectId', ['GET', 'WhoAmI', '-H', `CallerObjectId: ${NOBODY_ID}`], /^error: -H CallerObjectId is not allowed: use --as/],
      ['-H mscrmcallerid, in lower case', ['GET', 'WhoAmI', '-H', `mscrmcallerid: ${NOBODY_ID}`], /^error: -H mscrmcallerid is not allowed: use --as/],
      ['-H MSCRMCALLERID, in upper case', ['GET', 'WhoAmI', '-H', `MSCRMCALLERID:${NOBODY_ID}`], /^error: -H MSCRMCALLERID is not allowed: use --as/],
      ['a header value with a line break', ['GET', 'WhoAmI', '-H', `Prefer: x\r\nCallerObjectId: ${NOBODY_ID}`], /^error: The value of -H Prefer contains a control character/],
      ['a header without a colon', ['GET', 'WhoAmI', '-H', 'Prefer'], /^error: -H "Prefer" is not a header/],
      ['another host', ['GET', 'https://evil.example.com/api/data/v9.2/WhoAmI'], /^error: Refusing to send the request to https:\/\/evil\.example\.com: it is not the environment/],
      ['a protocol-relative host', ['GET', '//evil.example.com/api/data/v9.2/WhoAmI'], /^error: Refusing "\/\/evil\.example\.com\/api\/data\/v9\.2\/WhoAmI": a path starting with \/\/ names another host/],
      ['a path that climbs out of the Web API', ['GET', '../../../_emulator/stats'], /^error: The path "\.\.\/\.\.\/\.\.\/_emulator\/stats" leads to \/_emulator\/stats, outside the Web API/],
      ['an encoded climb', ['GET', '%2e%2e/%2e%2e/x'], /leads to \/api\/x, outside the Web API/],
      ['a body that is not JSON', ['POST', 'accounts', '--data', '{name:'], /^error: The body in --data is not valid JSON/],
      ['a body on a GET', ['GET', 'WhoAmI', '--data', '{}'], /^error: A GET takes no body/],
      ['-o csv', ['GET', 'WhoAmI', '-o', 'csv'], /^error: dvas api prints the body as the service sends it: use -o json, or -o ndjson/],
      ['a fragment', ['GET', 'accounts#top'], /^error: The path "accounts#top" has a fragment/],
      ['--paginate on a POST', ['POST', 'accounts', '--data', '{}', '--paginate'], /^error: --paginate follows @odata\.nextLink, which only a GET answers with/],
    ])('%s', async (_label, argv, message) => {
      const before = emulator().stats.requests;
      const run = await dvas(DEMO.admin, ['api', ...argv]);
      expect(run.code, run.stderr).toBe(ExitCode.Usage);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe('');
      expect(emulator().stats.requests).toBe(before);
    });

    it('the token is never sent to another host, even one on this machine', async () => {
      const seen: string[] = [];
      const other: Server = createServer((req, res) => {
        seen.push(String(req.headers.authorization));
        res.end('{}');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      try {
        const port = (other.address() as AddressInfo).port;
        const run = await dvas(DEMO.admin, ['api', 'GET', `http://127.0.0.1:${port}/api/data/v9.2/WhoAmI`]);
        expect(run.code).toBe(ExitCode.Usage);
        expect(seen).toEqual([]);
      } finally {
        await new Promise((resolve) => other.close(resolve));
      }
    });
  });

  it('--dry-run prints the request, caller header included, and sends only the check of the --as user', async () => {
    const sam = user(emulator(), DEMO.sam).systemuserid;
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, ['api', 'POST', 'accounts', '--data', '{"name":"Dry"}', '--as', sam, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^POST \S+\/api\/data\/v9\.2\/accounts\n/);
    expect(run.stdout).toContain(`\nMSCRMCallerID: ${sam}\n`);
    expect(run.stdout).toContain('\nAuthorization: REDACTED\n');
    expect(run.stdout).toMatch(/\n\{"name":"Dry"\}\n$/);
    expect(sent()).toEqual([expect.stringMatching(new RegExp(`^GET /api/data/v9\\.2/systemusers\\(${sam}\\)\\?`))]);
  });

  it('--verbose shows the exchange with the token redacted', async () => {
    const token = emulator().issueToken(DEMO.admin);
    const run = await dvas(DEMO.admin, ['api', 'GET', 'WhoAmI', '--verbose'], { env: { DVAS_ACCESS_TOKEN: token } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/> GET \S+\/WhoAmI/);
    expect(run.stderr).not.toContain(token.split('.')[2]);
    expect(run.stderr).toMatch(/authorization: (REDACTED|Bearer REDACTED)/i);
  });

  describe('under --as', () => {
    it.each<[string, () => string, string]>([
      ['an email', () => DEMO.sam, 'callerobjectid'],
      ['a systemuserid', () => user(emulator(), DEMO.sam).systemuserid, 'mscrmcallerid'],
      ['aad:<object id>', () => `aad:${String(user(emulator(), DEMO.sam).azureactivedirectoryobjectid)}`, 'callerobjectid'],
      ['DOMAIN\\user (MSCRMCallerID)', () => OTTO.domainname, 'mscrmcallerid'],
    ])('%s: the request carries the caller header, and WhoAmI answers as that user', async (_label, asValue, header) => {
      const from = emulator().requestLog.entries.length;
      const run = await dvas(DEMO.admin, ['api', 'GET', 'WhoAmI', '--as', asValue()]);
      expect(run.code, run.stderr).toBe(0);
      const expected = asValue() === OTTO.domainname ? user(emulator(), OTTO.email).systemuserid : user(emulator(), DEMO.sam).systemuserid;
      expect((run.json() as { UserId: string }).UserId).toBe(expected);
      expect(sent(from).at(-1)?.headers[header]).toBeDefined();
    });

    it('a POST that creates a row: createdby is read back and checked', async () => {
      const run = await dvas(DEMO.admin, ['api', 'POST', 'accounts', '--data', '{"name":"Sam via api"}', '--as', DEMO.sam, '--verbose']);
      expect(run.code, run.stderr).toBe(0);
      const lines = loggedRequests(run.stderr).map((request) => request.line);
      expect(lines.at(-2)).toBe('POST accounts');
      expect(lines.at(-1)).toMatch(/^GET accounts\([0-9a-f-]{36}\)$/);
    });

    it('a PATCH of a row: modifiedby is read back and checked', async () => {
      const id = await createRowAs(emulator(), DEMO.sam, 'accounts', { name: 'Sam patches it' });
      const run = await dvas(DEMO.admin, ['api', 'PATCH', `accounts(${id})`, '-H', 'If-Match: *', '--data', '{"telephone1":"1"}', '--as', DEMO.sam, '--verbose']);
      expect(run.code, run.stderr).toBe(0);
      expect(loggedRequests(run.stderr).at(-1)?.line).toBe(`GET accounts(${id})`);
      expect(emulator().core.store.rows('account').get(id)?.modifiedby).toMatchObject({ id: user(emulator(), DEMO.sam).systemuserid });
    });
  });

  describe('retries: the pipeline of every command', () => {
    afterEach(() => emulator().setFaults(undefined));
    const accountsNamed = (name: string) => [...emulator().core.store.rows('account').values()].filter((row) => row.name === name);

    it('a POST throttled (429) is waited out on the clock and sent again: the service did not carry it out, one row', async () => {
      emulator().setFaults('throttle=1,retryAfter=30');
      const clock = new TestClock();
      const running = dvas(DEMO.admin, ['api', 'POST', 'accounts', '--data', '{"name":"Api throttled"}'], { dependencies: { clock } });
      await clock.sleeping(1);
      emulator().setFaults(undefined);
      await clock.advanceToNextWait();
      const run = await running;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('dvas: throttled by Dataverse (429), waiting 3');
      expect(accountsNamed('Api throttled')).toHaveLength(1);
    });

    it('a POST answered 503 is not sent again (it may have been carried out); a GET is', async () => {
      emulator().setFaults('unavailable=1');
      const before = emulator().stats.requests;
      const post = await dvas(DEMO.admin, ['api', 'POST', 'accounts', '--data', '{"name":"Api unavailable"}']);
      expect(post.code, post.stderr).toBe(ExitCode.Failure);
      expect(post.stderr).toMatch(/^error: Service Unavailable/);
      expect(post.stderr).toContain('hint: The service was unavailable; the request may or may not have been carried out: check before sending it again.');
      expect(emulator().stats.requests - before).toBe(1);

      const clock = new TestClock();
      const running = dvas(DEMO.admin, ['api', 'GET', 'WhoAmI'], { dependencies: { clock } });
      await clock.sleeping(1);
      emulator().setFaults(undefined);
      await clock.advanceToNextWait();
      const get = await running;
      expect(get.code, get.stderr).toBe(0);
      expect(get.stderr).toContain('dvas: Dataverse unavailable (503), waiting');
    });
  });

  describe('the same checks as get and create, for the same requests', () => {
    const sameAnswer = (a: { code: number; stderr: string }, b: { code: number; stderr: string }) => {
      expect(a.code).toBe(b.code);
      expect(a.stderr.split('\n')[0]).toBe(b.stderr.split('\n')[0]);
    };

    it('a missing row: exit 6 with the same message', async () => {
      const viaGet = await dvas(DEMO.admin, ['get', 'accounts', MISSING_ID]);
      const viaApi = await dvas(DEMO.admin, ['api', 'GET', `accounts(${MISSING_ID})`]);
      expect(viaApi.code).toBe(ExitCode.NotFound);
      sameAnswer(viaApi, viaGet);
    });

    it('a denial under --as: exit 5, explained the same way, naming who lacks what', async () => {
      const viaCreate = await dvas(DEMO.admin, ['create', 'tasks', '--data', '{"subject":"No"}', '--as', DEMO.riley]);
      const viaApi = await dvas(DEMO.admin, ['api', 'POST', 'tasks', '--data', '{"subject":"No"}', '--as', DEMO.riley]);
      expect(viaApi.code).toBe(ExitCode.PrivilegeDenied);
      expect(viaApi.stderr).toMatch(/^error: Principal user .* is missing prvCreateTask privilege/);
      expect(viaApi.stderr).toMatch(/^diagnosis: Riley Reader \(riley\.reader@contoso\.com\) lacks prvCreateTask;/m);
      sameAnswer(viaApi, viaCreate);
      const readGet = await dvas(DEMO.admin, ['get', 'tasks', '--as', DEMO.riley]);
      const readApi = await dvas(DEMO.admin, ['api', 'GET', 'tasks', '--as', DEMO.riley]);
      expect(readApi.code).toBe(ExitCode.PrivilegeDenied);
      sameAnswer(readApi, readGet);
    });

    it.each<[string, string, number]>([
      ['a user who does not exist', 'nobody@contoso.com', ExitCode.NotFound],
      ['a disabled user', DEMO.dana, ExitCode.PrivilegeDenied],
      ['an --as that is no user form', 'not a user', ExitCode.Usage],
    ])('bad --as, %s: the same exit code and message as get', async (_label, asValue, code) => {
      const viaGet = await dvas(DEMO.admin, ['get', 'accounts', '--as', asValue]);
      const viaApi = await dvas(DEMO.admin, ['api', 'GET', 'accounts', '--as', asValue]);
      expect(viaApi.code).toBe(code);
      sameAnswer(viaApi, viaGet);
    });

    it('the signed-in identity may not impersonate: exit 5 as for get', async () => {
      const viaGet = await dvas(DEMO.sam, ['get', 'accounts', '--as', DEMO.riley]);
      const viaApi = await dvas(DEMO.sam, ['api', 'GET', 'accounts', '--as', DEMO.riley]);
      expect(viaApi.code).toBe(ExitCode.PrivilegeDenied);
      sameAnswer(viaApi, viaGet);
    });
  });

  it('the application user too (client credentials)', async () => {
    const run = await dvas(DEMO_APP.clientId, ['api', 'GET', 'WhoAmI'], { env: { DVAS_CONFIG_DIR: newConfigDir() } });
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('dvas api: is the impersonation applied?', () => {
  const emulator = useEmulator({ unknownCaller: 'ignore', seed: demoSeedWith(IVY) });
  const dvas = dvasAgainst(emulator);

  it('an id naming no user, which the service would ignore: WhoAmI says so first, exit 8, the request not sent', async () => {
    const from = emulator().requestLog.entries.length;
    const run = await dvas(IVY.email, ['api', 'POST', 'accounts', '--data', '{"name":"Never"}', '--as', `aad:${NOBODY_ID}`]);
    expect(run.code, run.stderr).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toMatch(/^error: Dataverse runs requests under --as aad:\S+ as the signed-in identity \(\S+\) \(WhoAmI says so\): it did not apply the impersonation, so dvas did not send POST \/api\/data\/v9\.2\/accounts\./);
    expect(emulator().requestLog.entries.slice(from).filter((entry) => entry.method === 'POST')).toEqual([]);
  });
});
