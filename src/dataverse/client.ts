import { CliError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { RequestHeaders } from '../http/headers.js';
import type { DataverseRequest, DataverseResponse, WhoAmIResult, RetrieveOptions, CollectionQuery, RetrieveMultipleOptions, RecordPage, FetchXmlOptions, CreateOptions, CreateResult, EntityDefinition } from './client-types.js';
import { toApiError } from './errors.js';
import { requireEnvironmentOrigin } from './origin-guard.js';
import {
  entitySetSegment,
  idFromEntityId,
  includeAnnotations,
  isRecord,
  odataString,
  queryString,
  recordPath,
  type DataverseRecord,
  type QueryValue,
} from './odata.js';
import type { RecordKey } from './record-key.js';
import { Annotation } from './facts.js';
import { fetchAttribute, nextPagingCookie, withFetchAttributes } from './fetchxml.js';
import { batchedGet, MAX_GET_URL, readBatchedAnswer } from './batch-get.js';
import { composePipeline, type HttpMethod, type PipelineRequest, type PipelineResponse, type SendRequest } from './pipeline.js';
import { impersonationPolicy, type ImpersonationTarget } from './policies/impersonation.js';
import { quote } from '../output/terminal-text.js';

export type { DataverseRequest, DataverseResponse, WhoAmIResult, RetrieveOptions, CollectionQuery, RetrieveMultipleOptions, RecordPage, FetchXmlOptions, CreateOptions, CreateResult, EntityDefinition } from './client-types.js';

/**
 * The Dataverse Web API for one environment, over the policy pipeline. It returns data and never
 * prints (except --dry-run and --verbose, which the pipeline handles); any error status becomes a
 * DataverseApiError with its exit code.
 */
export class DataverseClient {
  /** The Web API root, e.g. https://contoso.crm.dynamics.com/api/data/v9.2/. */
  readonly apiRoot: URL;
  private readonly definitions = new Map<string, Promise<EntityDefinition>>();

  constructor(
    readonly environment: URL,
    private readonly apiVersion: string,
    private readonly pipeline: SendRequest,
    /** Who signed in, as the token names them (its `name` or UPN): for messages when Dataverse may not be asked. */
    private readonly signedInAs: () => Promise<string | undefined> = async () => undefined,
  ) {
    if (!/^v\d+\.\d+$/.test(apiVersion)) throw new UsageError(`${quote(apiVersion)} is not a Web API version (e.g. v9.2).`);
    this.apiRoot = new URL(`/api/data/${apiVersion}/`, environment.origin);
  }

  /**
   * This client's connection and token, with every request run as `target` (a request with
   * `asCaller` still runs as the signed-in identity). --as needs both on one connection: lookups
   * as the signed-in identity first, then the operation as the user they found. The policy only
   * adds a header, so its place in front of the others changes nothing they do.
   */
  actingAs(target: ImpersonationTarget): DataverseClient {
    return new DataverseClient(this.environment, this.apiVersion, composePipeline([impersonationPolicy(target)], this.pipeline), this.signedInAs);
  }

  /**
   * The signed-in identity's name from its token, never from Dataverse: a user with no role may
   * not read its own systemuser row, and a message should still name them. Undefined for app-only
   * and opaque tokens, and when there is no token (a dry run).
   */
  async signedInName(): Promise<string | undefined> {
    try {
      return await this.signedInAs();
    } catch {
      return undefined;
    }
  }

  /**
   * This client's connection and token, with every request marked a lookup: a read that finds
   * what another request needs (a user, a table's definition) rather than the operation itself.
   * Under --dry-run a GET so marked is sent for real and every other request is printed instead
   * (docs/dry-run.md); otherwise the mark changes nothing.
   */
  lookups(): DataverseClient {
    return new DataverseClient(this.environment, this.apiVersion, (request) => this.pipeline({ ...request, lookup: true }), this.signedInAs);
  }

  async send(call: DataverseRequest): Promise<DataverseResponse> {
    const { request, response } = await this.exchange(call);
    if (response.status >= 400) throw toApiError(request, response);
    return { status: response.status, headers: response.headers, body: parseBody(response.body, response.headers['content-type']), text: response.body };
  }

  /** One request through the pipeline, whatever the status of its answer. */
  private async exchange(call: DataverseRequest): Promise<{ request: PipelineRequest; response: PipelineResponse }> {
    const request: PipelineRequest = {
      method: call.method,
      url: this.urlFor(call.path, call.query),
      headers: RequestHeaders.from(call.headers ?? {}),
      ...(call.text !== undefined ? { body: call.text } : call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      ...(call.prefer ? { prefer: call.prefer } : {}),
      ...(call.asCaller ? { skipImpersonation: true } : {}),
      ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
    };
    return { request, response: await this.pipeline(request) };
  }

  async whoAmI(options: { asCaller?: boolean } = {}): Promise<WhoAmIResult> {
    const { body } = await this.send({ method: 'GET', path: 'WhoAmI', ...(options.asCaller ? { asCaller: true } : {}) });
    if (!isRecord(body) || typeof body.UserId !== 'string' || typeof body.BusinessUnitId !== 'string' || typeof body.OrganizationId !== 'string') {
      throw unexpectedAnswer('WhoAmI');
    }
    return { UserId: body.UserId, BusinessUnitId: body.BusinessUnitId, OrganizationId: body.OrganizationId };
  }

  async retrieve(entitySet: string, id: RecordKey | string, options: RetrieveOptions = {}): Promise<DataverseRecord> {
    const { body } = await this.send({
      method: 'GET',
      path: recordPath(entitySet, id),
      query: { $select: options.select?.join(','), $expand: options.expand },
      ...(options.annotations ? { prefer: [includeAnnotations(options.annotations)] } : {}),
      ...(options.asCaller ? { asCaller: true } : {}),
    });
    if (!isRecord(body)) throw unexpectedAnswer(entitySet);
    return body;
  }

  async retrieveMultiple(entitySet: string, query: CollectionQuery = {}, options: RetrieveMultipleOptions = {}): Promise<RecordPage> {
    const records: DataverseRecord[] = [];
    let count: number | undefined;
    let nextLink: string | undefined;
    for await (const page of this.pages(entitySet, query, options)) {
      records.push(...page.records);
      count ??= page.count;
      nextLink = page.nextLink;
    }
    return { records, ...(count === undefined ? {} : { count }), ...(nextLink ? { nextLink } : {}) };
  }

  /**
   * The same query page by page, as each arrives: a caller printing rows can write them out
   * instead of holding every page. With `all` it follows `@odata.nextLink` to the last page;
   * without, it yields the first page only (with its nextLink, if there is more).
   */
  async *pages(entitySet: string, query: CollectionQuery = {}, options: RetrieveMultipleOptions = {}): AsyncGenerator<RecordPage> {
    const prefer = [
      ...(options.maxPageSize ? [`odata.maxpagesize=${options.maxPageSize}`] : []),
      ...(options.annotations ? [includeAnnotations(options.annotations)] : []),
    ];
    let path = entitySetSegment(entitySet);
    let pageQuery: Readonly<Record<string, QueryValue>> | undefined = {
      $select: query.select?.join(','),
      $filter: query.filter,
      $orderby: query.orderby,
      $top: query.top,
      $expand: query.expand,
      $count: query.count ? 'true' : undefined,
    };
    for (;;) {
      const { body } = await this.send({
        method: 'GET',
        path,
        ...(pageQuery ? { query: pageQuery } : {}),
        prefer,
        ...(options.asCaller ? { asCaller: true } : {}),
      });
      if (!isRecord(body) || !Array.isArray(body.value)) throw unexpectedAnswer(entitySet);
      const count = typeof body['@odata.count'] === 'number' ? body['@odata.count'] : undefined;
      const nextLink = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      yield { records: body.value.filter(isRecord), ...(count === undefined ? {} : { count }), ...(nextLink ? { nextLink } : {}) };
      if (!nextLink || !options.all) return;
      // The next link carries the whole query (and the paging cookie) itself.
      path = nextLink;
      pageQuery = undefined;
    }
  }

  /**
   * A FetchXML query (`GET <set>?fetchXml=…`), page by page as each arrives. With `all` it pages as
   * Microsoft's page-results does: while `morerecords` is true, the same query again with `page`
   * incremented and `paging-cookie` set to the previous page's cookie (by page number alone when
   * the service gave no cookie).
   */
  async *fetchXmlPages(entitySet: string, fetchXml: string, options: FetchXmlOptions = {}): AsyncGenerator<RecordPage> {
    const annotations = [Annotation.FetchXmlPagingCookie, Annotation.MoreRecords, ...(options.annotations ? [options.annotations] : [])].join(',');
    let page = Number(fetchAttribute(fetchXml, 'page') ?? '1') || 1;
    let query = fetchXml;
    for (;;) {
      const { body } = await this.sendGet({
        method: 'GET',
        path: entitySetSegment(entitySet),
        query: { fetchXml: query, $count: options.count ? 'true' : undefined },
        prefer: [includeAnnotations(annotations)],
        ...(options.asCaller ? { asCaller: true } : {}),
      });
      if (!isRecord(body) || !Array.isArray(body.value)) throw unexpectedAnswer(entitySet);
      const count = typeof body['@odata.count'] === 'number' ? body['@odata.count'] : undefined;
      const more = body[`@${Annotation.MoreRecords}`] === true;
      const records = body.value.filter(isRecord);
      yield { records, ...(count === undefined ? {} : { count }), ...(more && !options.all ? { moreRecords: true } : {}) };
      if (!more || !options.all) return;
      const cookie = nextPagingCookie(body[`@${Annotation.FetchXmlPagingCookie}`]);
      page += 1;
      query = withFetchAttributes(fetchXml, { page: String(page), ...(cookie === undefined ? {} : { 'paging-cookie': cookie }) });
    }
  }

  /**
   * A GET, or, when its URL is longer than Dataverse takes on a GET (a FetchXML query with a long
   * `in` list), the same GET inside `$batch`, as use-fetchxml-web-api advises. The inner answer is
   * returned, or thrown, as if the GET had been sent alone.
   */
  private async sendGet(call: DataverseRequest): Promise<DataverseResponse> {
    const url = this.urlFor(call.path, call.query);
    if (url.pathname.length + url.search.length <= MAX_GET_URL) return this.send(call);
    const batch = batchedGet(url, call.prefer ?? []);
    const { request, response } = await this.exchange({
      method: 'POST',
      path: '$batch',
      text: batch.body,
      headers: { 'Content-Type': batch.contentType },
      // A batch of one GET reads only: repeating it is safe.
      idempotent: true,
      ...(call.asCaller ? { asCaller: true } : {}),
    });
    // A batch whose request failed answers with that request's status, and its answer as the part.
    const answer = readBatchedAnswer(response.headers['content-type'], response.body);
    if (!answer) {
      if (response.status >= 400) throw toApiError(request, response);
      throw unexpectedAnswer('$batch');
    }
    if (answer.status >= 400) throw toApiError({ method: 'GET', url, headers: RequestHeaders.from({}) }, answer);
    return { status: answer.status, headers: answer.headers, body: parseBody(answer.body, answer.headers['content-type']), text: answer.body };
  }

  async create(entitySet: string, record: DataverseRecord, options: CreateOptions = {}): Promise<CreateResult> {
    const { headers, body } = await this.send({
      method: 'POST',
      path: entitySetSegment(entitySet),
      body: record,
      ...(options.returnRepresentation
        ? {
            prefer: ['return=representation', ...(options.annotations ? [includeAnnotations(options.annotations)] : [])],
            query: { $select: options.select?.join(',') },
          }
        : {}),
    });
    const entityId = headers['odata-entityid'] ?? headers['location'];
    const fromHeader = idFromEntityId(entityId);
    if (fromHeader) return { id: fromHeader, ...(isRecord(body) ? { record: body } : {}) };
    if (isRecord(body)) {
      const key = options.primaryIdAttribute ?? (await this.entityDefinition(entitySet)).PrimaryIdAttribute;
      const fromBody = body[key];
      if (typeof fromBody === 'string') return { id: fromBody, record: body };
    }
    // The service said yes (2xx): the row exists, whatever the answer's shape. The id dvas sent
    // is the row's (the service keeps a key given in the body).
    if (options.id) return { id: options.id, ...(isRecord(body) ? { record: body } : {}) };
    throw new CliError(
      `Dataverse created a row in ${entitySet}, but its answer does not say which: ` +
        (entityId ? `dvas cannot read the id in OData-EntityId ${quote(entityId)}.` : 'there is no OData-EntityId.'),
      { exitCode: ExitCode.Failure, hint: 'The row exists: do not send the create again. Find it with dvas get.' },
    );
  }

  /**
   * A table's names, from its logical name (`account`) or its entity set name (`accounts`); asked
   * once per run and table. Unknown → exit 6.
   */
  entityDefinition(logicalNameOrSet: string): Promise<EntityDefinition> {
    const key = logicalNameOrSet.trim();
    let definition = this.definitions.get(key);
    if (!definition) {
      definition = this.fetchEntityDefinition(key);
      this.definitions.set(key, definition);
      // A failure is not cached: the next call may succeed.
      definition.catch(() => this.definitions.delete(key));
    }
    return definition;
  }

  /**
   * A table's names and some more of its EntityMetadata properties (`extra`), in the one request
   * that finds it (its names are then cached as entityDefinition's). Unknown → exit 6.
   */
  async entityDefinitionWith(logicalNameOrSet: string, extra: readonly string[]): Promise<{ definition: EntityDefinition; record: DataverseRecord }> {
    const key = logicalNameOrSet.trim();
    const found = this.findEntityDefinition(key, extra);
    const definition = found.then((answer) => answer.definition);
    if (!this.definitions.has(key)) {
      this.definitions.set(key, definition);
      definition.catch(() => this.definitions.delete(key));
    }
    return found;
  }

  private async fetchEntityDefinition(name: string): Promise<EntityDefinition> {
    return (await this.findEntityDefinition(name, [])).definition;
  }

  private async findEntityDefinition(name: string, extra: readonly string[]): Promise<{ definition: EntityDefinition; record: DataverseRecord }> {
    entitySetSegment(name);
    const page = await this.lookups().retrieveMultiple('EntityDefinitions', {
      select: ['LogicalName', 'EntitySetName', 'PrimaryIdAttribute', 'PrimaryNameAttribute', ...extra],
      filter: `LogicalName eq ${odataString(name.toLowerCase())} or EntitySetName eq ${odataString(name)}`,
    });
    const found = page.records.find(isEntityDefinition);
    if (!found) {
      throw new CliError(`There is no table ${quote(name)} in this environment.`, {
        exitCode: ExitCode.NotFound,
        hint: 'Give a table by its logical name (such as account) or its entity set name (such as accounts).',
      });
    }
    const definition = {
      LogicalName: found.LogicalName,
      EntitySetName: found.EntitySetName,
      PrimaryIdAttribute: found.PrimaryIdAttribute,
      PrimaryNameAttribute: typeof found.PrimaryNameAttribute === 'string' ? found.PrimaryNameAttribute : null,
    };
    return { definition, record: found };
  }

  private urlFor(path: string, query: Readonly<Record<string, QueryValue>> | undefined): URL {
    if (/^https?:\/\//i.test(path)) {
      const absolute = new URL(path);
      requireEnvironmentOrigin(absolute, this.environment.origin);
      return absolute;
    }
    return new URL(`${path.replace(/^\/+/, '')}${queryString(query)}`, this.apiRoot);
  }
}

function isEntityDefinition(
  value: DataverseRecord,
): value is DataverseRecord & { LogicalName: string; EntitySetName: string; PrimaryIdAttribute: string } {
  return typeof value.LogicalName === 'string' && typeof value.EntitySetName === 'string' && typeof value.PrimaryIdAttribute === 'string';
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return undefined;
  if (contentType && !/json/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliError('Dataverse answered with JSON that cannot be read.', { exitCode: ExitCode.Failure, cause });
  }
}

function unexpectedAnswer(what: string): CliError {
  return new CliError(`Dataverse answered ${what} in an unexpected shape.`, { exitCode: ExitCode.Failure });
}
