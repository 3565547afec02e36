import type { CliContext } from '../../context.js';
import type { RecordPage } from '../../dataverse/client.js';
import type { DataverseRecord } from '../../dataverse/odata.js';
import { openSession, type DataverseSession } from '../../impersonation/session.js';
import { withTable, type EntityDefinition } from '../../tables/resolve-table.js';
import type { GetRequest } from './options.js';
import { fetchEntityName, isFetchXml, withFetchAttributes } from '../../dataverse/fetchxml.js';
import { UsageError } from '../../errors.js';
import { readTextInput } from '../../options/text-input.js';
import { READABLE_ANNOTATIONS } from '../../output/readable.js';
import { quote } from '../../output/terminal-text.js';

/** What `dvas get` read: one record, or the pages of a query as they arrive. */
export type GetResult =
  | { kind: 'record'; table: EntityDefinition; record: DataverseRecord; request: GetRequest }
  | { kind: 'rows'; table: EntityDefinition; pages: AsyncIterable<RecordPage>; request: GetRequest };

/**
 * `dvas get <table> [id]`: resolves the table (entity set or logical name, cached), then reads the
 * record or runs the query, as the --as user when one is given (global option). Rows come back exactly as the service sent them; what is shown of
 * them is the renderer's business. For a query the pages are read lazily, as the renderer asks,
 * so a long `--all` never has to fit in memory.
 *
 * Output for people (table, CSV) always asks for formatted values and lookup names, so that a
 * lookup shows a name rather than a GUID; JSON asks for them only with --formatted, and a table
 * query without --select asks only for the primary name and id columns: a terminal table of every
 * column of a Dataverse table is unreadable (-o json, or --select, gives the rest).
 */
export async function runGet(request: GetRequest, ctx: CliContext): Promise<GetResult> {
  const forPeople = ctx.options.output === 'table' || ctx.options.output === 'csv';
  const annotations = request.formatted || forPeople ? READABLE_ANNOTATIONS : undefined;
  // The query is read and checked before anything is sent.
  const fetchXml = request.fetchXml === undefined ? undefined : await readFetchXml(request.fetchXml, ctx);
  const session = await openSession(ctx);
  // Table names are metadata: looked up as the signed-in identity, whoever --as names. A cached
  // table the service no longer knows is looked up again (withTable): hence the first page is
  // read here, inside it, and not first by the renderer.
  return withTable(session.caller, request.table, ctx, (table) => read(table, request, fetchXml, annotations, session.client, ctx));
}

async function read(table: EntityDefinition, request: GetRequest, fetchXml: string | undefined, annotations: string | undefined, client: DataverseSession['client'], ctx: CliContext): Promise<GetResult> {
  if (request.id !== undefined) {
    const id = request.id;
    const record = await client.retrieve(table.EntitySetName, id, {
      ...(request.select ? { select: request.select } : {}),
      ...(request.expand ? { expand: request.expand } : {}),
      ...(annotations ? { annotations } : {}),
    });
    return { kind: 'record', table, record, request };
  }

  if (fetchXml !== undefined) {
    checkFetchXmlTable(fetchXml, table, request.fetchXml ?? '');
    const query = request.pageSize === undefined ? fetchXml : withFetchAttributes(fetchXml, { count: String(request.pageSize) });
    const pages = client.fetchXmlPages(table.EntitySetName, query, {
      all: request.all,
      ...(request.count ? { count: true } : {}),
      ...(annotations ? { annotations } : {}),
    });
    return { kind: 'rows', table, pages: await firstPageRead(pages), request };
  }

  const select = request.select ?? (ctx.options.output === 'table' ? defaultTableColumns(table) : undefined);
  const pages = client.pages(
    table.EntitySetName,
    {
      ...(select ? { select } : {}),
      ...(request.filter ? { filter: request.filter } : {}),
      ...(request.orderby ? { orderby: request.orderby } : {}),
      ...(request.top !== undefined ? { top: request.top } : {}),
      ...(request.expand ? { expand: request.expand } : {}),
      ...(request.count ? { count: true } : {}),
    },
    {
      all: request.all,
      ...(request.pageSize !== undefined ? { maxPageSize: request.pageSize } : {}),
      ...(annotations ? { annotations } : {}),
    },
  );
  return { kind: 'rows', table, pages: await firstPageRead(pages), request: { ...request, select } };
}

/** The same pages, the first of them already read (so that its failure happens here). */
async function firstPageRead(pages: AsyncIterable<RecordPage>): Promise<AsyncIterable<RecordPage>> {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  return (async function* () {
    for (let next = first; !next.done; next = await iterator.next()) yield next.value;
  })();
}

async function readFetchXml(source: string, ctx: CliContext): Promise<string> {
  const text = await readTextInput(source, ctx.io.stdin);
  const label = source === '-' ? 'stdin' : source;
  if (!isFetchXml(text)) {
    throw new UsageError(`The FetchXML in ${label} does not start with a <fetch> element.`, {
      hint: "A FetchXML query looks like <fetch><entity name='account'><attribute name='name'/></entity></fetch>.",
    });
  }
  return text;
}

/** Dataverse runs FetchXML only on the entity set of the table its entity element names (page-results). */
function checkFetchXmlTable(fetchXml: string, table: EntityDefinition, source: string): void {
  const entity = fetchEntityName(fetchXml);
  if (entity === undefined) throw new UsageError(`The FetchXML in ${source === '-' ? 'stdin' : source} has no <entity name="…"> element.`);
  if (entity !== table.LogicalName) {
    throw new UsageError(`The FetchXML queries the table ${quote(entity)}, not ${table.EntitySetName} (${table.LogicalName}).`, {
      hint: `Run it as dvas get ${entity} --fetchxml …, or change the entity element.`,
    });
  }
}

/** The primary name column, then the primary key: what identifies a row to a person and to dvas. */
function defaultTableColumns(table: EntityDefinition): string[] {
  return table.PrimaryNameAttribute ? [table.PrimaryNameAttribute, table.PrimaryIdAttribute] : [table.PrimaryIdAttribute];
}
