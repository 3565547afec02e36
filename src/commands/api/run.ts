import type { CliContext } from '../../context.js';
import type { DataverseResponse } from '../../dataverse/client.js';
import { GUID_PATTERN } from '../../dataverse/facts.js';
import { isRecord, idFromEntityId } from '../../dataverse/odata.js';
import type { HttpMethod } from '../../dataverse/pipeline.js';
import { parseEnvironmentUrl } from '../../http/environment-url.js';
import { parseJsonInput } from '../../options/json-input.js';
import { UsageError } from '../../errors.js';
import { actingAsLabel } from '../../impersonation/acting-as.js';
import { requireImpersonationApplied } from '../../impersonation/applied-before.js';
import { notApplied, whoElseRanIt } from '../../impersonation/not-applied.js';
import { readWrittenBy, type AuditColumns } from '../../impersonation/read-back.js';
import { openSession, type DataverseSession } from '../../impersonation/session.js';
import { readSourceText, type RecordSource } from '../create/record-input.js';
import { bodyText, ndjsonLines, statusAndHeaders, type BodyTarget } from './print.js';
import { parseHeaders, parseMethod, resolveApiTarget } from './target.js';

export interface ApiFlags {
  header: string[];
  paginate?: boolean;
  include?: boolean;
}

const BODY_HINT = "Give the body as --data '{\"name\":\"Contoso\"}', --file body.json, or - to read it from stdin.";
const ROW_PATH = /^\/api\/data\/v\d+\.\d+\/([A-Za-z_][A-Za-z0-9_]*)\(([^()/]*)\)$/;
const SET_PATH = /^\/api\/data\/v\d+\.\d+\/([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * `dvas api <METHOD> <path>`: any Web API request through the same pipeline as every command
 * (profile, sign-in, --as resolved and checked, retries and 429s, denials explained, --verbose
 * redacted, --dry-run, exit codes). Everything typed is checked before anything is sent: the
 * method, the path (the token goes to the environment only), the headers (no Authorization or
 * caller header by hand: --as does that, checked), the body.
 *
 * Under --as, what can be checked for an arbitrary request is checked: an --as user dvas could not
 * look up beforehand is tested with WhoAmI first (as for a delete); after a POST that created a
 * row (OData-EntityId) its createdby, and after a PATCH or PUT of a row its modifiedby, are read
 * back as `create` and `update` do (exit 8 when the request ran as the signed-in identity).
 */
export async function runApi(methodText: string, path: string, source: RecordSource, flags: ApiFlags, ctx: CliContext): Promise<void> {
  const method = parseMethod(methodText);
  const headers = parseHeaders(flags.header);
  if (ctx.options.output === 'csv') throw new UsageError('dvas api prints the body as the service sends it: use -o json, or -o ndjson for rows one per line.');
  if (flags.paginate && method !== 'GET') throw new UsageError(`--paginate follows @odata.nextLink, which only a GET answers with: not a ${method}.`);
  const body = await readBody(source, method, headers, ctx);
  const { profile } = await ctx.resolveProfile();
  const environment = parseEnvironmentUrl(profile.url);
  const url = resolveApiTarget(path, new URL(`/api/data/${profile.apiVersion}/`, environment.origin));

  const session = await openSession(ctx);
  const what = `send ${method} ${url.pathname}`;
  await requireImpersonationApplied(session, what, { dryRun: ctx.options.dryRun });
  // A privilege denial is diagnosed in main's error path, as for every command.
  const send = (target: string) => session.client.send({ method, path: target, headers, ...(body === undefined ? {} : { text: body }) });
  const first = await send(url.toString());
  if (session.actingAs) await checkWrittenAs(session, method, url, first, ctx);

  const target: BodyTarget = { write: (text) => ctx.io.stdout.write(text), format: ctx.options.output, isTTY: ctx.io.isStdoutTTY };
  if (flags.include) target.write(statusAndHeaders(first, target));
  if (!flags.paginate) {
    target.write(bodyText(first, target));
    return;
  }
  await paginate(first, (link) => send(link), target);
}

/** The body: JSON checked (exit 2) unless -H Content-Type says it is something else ($batch's multipart). */
async function readBody(source: RecordSource, method: HttpMethod, headers: Record<string, string>, ctx: CliContext): Promise<string | undefined> {
  const input = await readSourceText(source, ctx.io, { what: 'the body', hint: BODY_HINT });
  if (!input) return undefined;
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') throw new UsageError(`A ${method} takes no body: drop --data, --file or -.`);
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (contentType === undefined || /json/i.test(contentType)) parseJsonInput(input.text, `The body in ${input.label}`, BODY_HINT);
  return input.text;
}

/**
 * --paginate: the pages one after the other. `-o ndjson` writes each page's rows as they come;
 * otherwise the pages are gathered into one document, the first page's with every page's `value`
 * and no `@odata.nextLink` (pretty-printed on a terminal).
 */
async function paginate(first: DataverseResponse, next: (link: string) => Promise<DataverseResponse>, target: BodyTarget): Promise<void> {
  if (!isRecord(first.body) || !Array.isArray(first.body.value)) {
    target.write(bodyText(first, target));
    return;
  }
  const { ['@odata.nextLink']: _link, ...document } = first.body;
  const rows: unknown[] = [];
  let page: DataverseResponse = first;
  for (;;) {
    const body = isRecord(page.body) ? page.body : {};
    if (target.format === 'ndjson') target.write(ndjsonLines(body));
    else if (Array.isArray(body.value)) rows.push(...body.value);
    const link = body['@odata.nextLink'];
    if (typeof link !== 'string') break;
    // The link is the service's: it must lead back to the environment, as a typed URL must.
    page = await next(link);
  }
  if (target.format === 'ndjson') return;
  const merged = { ...document, value: rows };
  target.write(`${target.isTTY ? JSON.stringify(merged, null, 2) : JSON.stringify(merged)}\n`);
}

/** The read-back that `create` and `update` make, where the request says which row it wrote. */
async function checkWrittenAs(session: DataverseSession, method: HttpMethod, url: URL, response: DataverseResponse, ctx: CliContext): Promise<void> {
  const actingAs = session.actingAs;
  if (!actingAs) return;
  const written = writtenRow(method, url, response);
  if (!written) return;
  const row = `${written.entitySet}(${written.id})`;
  const label = actingAsLabel(actingAs);
  // The request was carried out whatever happens now: a failed read-back is a warning, as for create.
  const audit = await readWrittenBy(session, written.entitySet, written.id, written.which).catch(() => undefined);
  const by = audit ? audit[`${written.which}by` as keyof typeof audit] : undefined;
  if (!by) {
    ctx.messages.warn(`Could not read ${row} back to check that the ${method} ran as ${label}.`);
    return;
  }
  const ranAs = await whoElseRanIt({ ...session, actingAs }, by);
  if (ranAs) throw notApplied(`Dataverse ${written.which === 'created' ? 'created' : 'changed'} ${row}`, ranAs, actingAs);
}

/** The row a POST created (OData-EntityId) or a PATCH/PUT of `<set>(<guid>)` changed; undefined for anything else. */
function writtenRow(method: HttpMethod, url: URL, response: DataverseResponse): { entitySet: string; id: string; which: AuditColumns } | undefined {
  const entityId = response.headers['odata-entityid'];
  const fromHeader = entityId ? ROW_PATH.exec(safePathname(entityId)) : null;
  if (method === 'POST' && SET_PATH.test(url.pathname) && fromHeader?.[1]) {
    const id = idFromEntityId(entityId);
    return id ? { entitySet: fromHeader[1], id, which: 'created' } : undefined;
  }
  if (method !== 'PATCH' && method !== 'PUT') return undefined;
  const row = ROW_PATH.exec(url.pathname);
  const key = row?.[2] === undefined ? undefined : decodedKey(row[2]);
  const id = key !== undefined && GUID_PATTERN.test(key) ? key : idFromEntityId(entityId);
  if (!row?.[1] || !id) return undefined;
  return { entitySet: row[1], id: id.toLowerCase(), which: response.status === 201 ? 'created' : 'modified' };
}

/** The key between the parentheses, decoded, without the braces a GUID may come in. */
function decodedKey(text: string): string {
  let key = text;
  try {
    key = decodeURIComponent(text);
  } catch {
    // Not percent-encoding dvas can read: then it is no GUID either.
  }
  return key.replace(/^\{(.*)\}$/, '$1');
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
