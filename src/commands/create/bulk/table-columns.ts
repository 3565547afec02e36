import type { DataverseClient } from '../../../dataverse/client.js';
import { isRecord, odataString } from '../../../dataverse/odata.js';

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

/**
 * The table's columns, from `EntityDefinitions(LogicalName=…)/Attributes` and, for the option
 * values of choices, one query per cast (the docs: attributes cannot be cast to
 * EnumAttributeMetadata, so each derived type is asked for on its own). Read-only requests, sent
 * as the signed-in identity before any row.
 */
export async function readTableColumns(client: DataverseClient, logicalName: string, primaryId: string): Promise<TableColumns> {
  const base = `EntityDefinitions(LogicalName=${odataString(logicalName)})/Attributes`;
  const all = await client.send({ method: 'GET', path: base, query: { $select: 'LogicalName,AttributeType,IsValidForCreate' } });
  const columns = new Map<string, ColumnInfo>();
  for (const item of values(all.body)) {
    if (typeof item.LogicalName !== 'string' || typeof item.AttributeType !== 'string') continue;
    columns.set(item.LogicalName, { name: item.LogicalName, type: item.AttributeType, creatable: item.IsValidForCreate !== false });
  }
  const types = new Set([...columns.values()].map((column) => column.type));
  const casts = CHOICE_CASTS.filter((cast) => types.has(cast.replace(/AttributeMetadata$/, '')) || (cast.startsWith('MultiSelect') && types.has('Virtual')));
  const answers = await Promise.all(
    casts.map((cast) =>
      client.send({
        method: 'GET',
        path: `${base}/Microsoft.Dynamics.CRM.${cast}`,
        query: { $select: 'LogicalName', $expand: 'OptionSet($select=Options),GlobalOptionSet($select=Options)' },
      }),
    ),
  );
  for (const answer of answers) {
    for (const item of values(answer.body)) {
      const column = typeof item.LogicalName === 'string' ? columns.get(item.LogicalName) : undefined;
      if (!column) continue;
      const options = new Set<number>([...optionValues(item.OptionSet), ...optionValues(item.GlobalOptionSet)]);
      columns.set(column.name, { ...column, options });
    }
  }
  const hint = Number(all.headers['x-ms-dop-hint']);
  return {
    logicalName,
    primaryId,
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
