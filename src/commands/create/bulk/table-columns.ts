import type { DataverseClient, DataverseResponse, EntityDefinition } from '../../../dataverse/client.js';
import { entitySetSegment, isRecord, odataString } from '../../../dataverse/odata.js';
import { CliError } from '../../../errors.js';
import { ExitCode } from '../../../exit-codes.js';
import type { TableResolutionContext } from '../../../tables/resolve-table.js';
import { TableCache, tableCacheFile } from '../../../tables/table-cache.js';

/**
 * What typing and checking a row needs to know about one column: its AttributeType name
 * (AttributeTypeCode: `String`, `Integer`, `Picklist`, `Lookup`…) and, for a choice, the values
 * it takes. https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
export interface ColumnInfo {
  name: string;
  type: string;
  /** Whether a create may set it (AttributeMetadata.IsValidForCreate). */
  creatable: boolean;
  /** Picklist, State, Status, MultiSelectPicklist: the option values. */
  options?: ReadonlySet<number>;
}

export interface TableColumns {
  logicalName: string;
  primaryId: string;
  columns: ReadonlyMap<string, ColumnInfo>;
  /** The lookups (Lookup, Customer, Owner): `<name>@odata.bind` (or `<name>_<table>@odata.bind`) sets them. */
  lookups: readonly string[];
  /** The service's `x-ms-dop-hint` on the answers, when it sent one. */
  dopHint: number | undefined;
}

const CHOICE_CASTS = ['PicklistAttributeMetadata', 'StateAttributeMetadata', 'StatusAttributeMetadata', 'MultiSelectPicklistAttributeMetadata'];
const LOOKUP_TYPES = new Set(['Lookup', 'Customer', 'Owner']);
const ATTRIBUTE_SELECT = 'LogicalName,AttributeType,IsValidForCreate';

/** The table a bulk run writes to and its columns: what the rows are checked against. */
export interface TableWithColumns {
  definition: EntityDefinition;
  columns: TableColumns;
}

/**
 * The table and its columns in as few round trips as the Web API allows, since they stand between
 * a bulk run and its first row: a table the cache knows (tables/table-cache.ts) takes one (its
 * Attributes and each choice cast together); another takes two, its definition coming with its
 * Attributes expanded. The option values of choices come from one query per cast (attributes
 * cannot be cast to EnumAttributeMetadata). Read-only requests, as the signed-in identity.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
export async function readTable(client: DataverseClient, name: string, ctx: TableResolutionContext): Promise<TableWithColumns> {
  entitySetSegment(name);
  const cache = new TableCache(tableCacheFile(ctx.env), () => ctx.now());
  const origin = client.environment.origin;
  const cached = await cache.find(origin, name);
  if (cached) {
    const base = attributesPath(cached.LogicalName);
    const [all, ...casts] = await Promise.all([
      client.send({ method: 'GET', path: base, query: { $select: ATTRIBUTE_SELECT } }),
      ...CHOICE_CASTS.map((cast) => castQuery(client, base, cast)),
    ]);
    return { definition: cached, columns: tableColumns(cached, values(all.body), casts, all.headers) };
  }
  const found = await client.send({
    method: 'GET',
    path: 'EntityDefinitions',
    query: {
      $select: 'LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute',
      $filter: `LogicalName eq ${odataString(name.toLowerCase())} or EntitySetName eq ${odataString(name)}`,
      $expand: `Attributes($select=${ATTRIBUTE_SELECT})`,
    },
  });
  const row = values(found.body).find((item) => typeof item.LogicalName === 'string' && typeof item.EntitySetName === 'string' && typeof item.PrimaryIdAttribute === 'string');
  if (!row) {
    throw new CliError(`There is no table '${name}' in this environment.`, {
      exitCode: ExitCode.NotFound,
      hint: 'Give a table by its logical name (such as account) or its entity set name (such as accounts).',
    });
  }
  const definition: EntityDefinition = {
    LogicalName: String(row.LogicalName),
    EntitySetName: String(row.EntitySetName),
    PrimaryIdAttribute: String(row.PrimaryIdAttribute),
    PrimaryNameAttribute: typeof row.PrimaryNameAttribute === 'string' ? row.PrimaryNameAttribute : null,
  };
  // Remembered on the side: the run does not wait for the cache file.
  void cache.remember(origin, definition);
  const attributes = Array.isArray(row.Attributes) ? row.Attributes.filter(isRecord) : [];
  const types = new Set(attributes.map((item) => item.AttributeType));
  const wanted = CHOICE_CASTS.filter((cast) => types.has(cast.replace(/AttributeMetadata$/, '')) || (cast.startsWith('MultiSelect') && types.has('Virtual')));
  const casts = await Promise.all(wanted.map((cast) => castQuery(client, attributesPath(definition.LogicalName), cast)));
  return { definition, columns: tableColumns(definition, attributes, casts, found.headers) };
}

function attributesPath(logicalName: string): string {
  return `EntityDefinitions(LogicalName=${odataString(logicalName)})/Attributes`;
}

function castQuery(client: DataverseClient, base: string, cast: string): Promise<DataverseResponse> {
  return client.send({
    method: 'GET',
    path: `${base}/Microsoft.Dynamics.CRM.${cast}`,
    query: { $select: 'LogicalName', $expand: 'OptionSet($select=Options),GlobalOptionSet($select=Options)' },
  });
}

function tableColumns(
  definition: EntityDefinition,
  attributes: ReadonlyArray<Record<string, unknown>>,
  casts: readonly DataverseResponse[],
  headers: Readonly<Record<string, string>>,
): TableColumns {
  const columns = new Map<string, ColumnInfo>();
  for (const item of attributes) {
    if (typeof item.LogicalName !== 'string' || typeof item.AttributeType !== 'string') continue;
    columns.set(item.LogicalName, { name: item.LogicalName, type: item.AttributeType, creatable: item.IsValidForCreate !== false });
  }
  for (const answer of casts) {
    for (const item of values(answer.body)) {
      const column = typeof item.LogicalName === 'string' ? columns.get(item.LogicalName) : undefined;
      if (column) columns.set(column.name, { ...column, options: new Set([...optionValues(item.OptionSet), ...optionValues(item.GlobalOptionSet)]) });
    }
  }
  const hint = Number(headers['x-ms-dop-hint']);
  return {
    logicalName: definition.LogicalName,
    primaryId: definition.PrimaryIdAttribute,
    columns,
    lookups: [...columns.values()].filter((column) => LOOKUP_TYPES.has(column.type)).map((column) => column.name),
    dopHint: Number.isInteger(hint) && hint > 0 ? hint : undefined,
  };
}

function values(body: unknown): Array<Record<string, unknown>> {
  return isRecord(body) && Array.isArray(body.value) ? body.value.filter(isRecord) : [];
}

function optionValues(optionSet: unknown): number[] {
  if (!isRecord(optionSet) || !Array.isArray(optionSet.Options)) return [];
  return optionSet.Options.filter(isRecord)
    .map((option) => option.Value)
    .filter((value): value is number => typeof value === 'number');
}
