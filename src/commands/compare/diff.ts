import type { DataverseRecord } from '../../dataverse/odata.js';
import { isAnnotation } from '../../output/readable.js';

/**
 * What two users see of one query, side by side: the rows only one of them sees, and for the rows
 * both see, the columns whose values differ (a column one user gets empty and the other not is how
 * column security shows: https://learn.microsoft.com/power-platform/admin/field-level-security).
 * Pure: rows in, differences out.
 */

export interface RowRef {
  id: string;
  name: string | null;
}

export interface ColumnDifference extends RowRef {
  column: string;
  first: unknown;
  second: unknown;
}

export interface RowsDifference {
  /** Rows both see. */
  both: number;
  onlyFirst: RowRef[];
  onlySecond: RowRef[];
  columns: ColumnDifference[];
}

export function compareRows(first: readonly DataverseRecord[], second: readonly DataverseRecord[], idColumn: string, nameColumn: string | null): RowsDifference {
  const ref = (row: DataverseRecord): RowRef => ({ id: String(row[idColumn]), name: nameColumn && typeof row[nameColumn] === 'string' ? row[nameColumn] : null });
  const seconds = new Map(second.map((row) => [String(row[idColumn]).toLowerCase(), row]));
  const firstIds = new Set(first.map((row) => String(row[idColumn]).toLowerCase()));
  const onlyFirst: RowRef[] = [];
  const columns: ColumnDifference[] = [];
  let both = 0;
  for (const row of first) {
    const other = seconds.get(String(row[idColumn]).toLowerCase());
    if (!other) {
      onlyFirst.push(ref(row));
      continue;
    }
    both++;
    for (const column of columnsOf(row, other)) {
      const a = row[column] ?? null;
      const b = other[column] ?? null;
      if (!sameValue(a, b)) columns.push({ ...ref(row), column, first: a, second: b });
    }
  }
  const onlySecond = second.filter((row) => !firstIds.has(String(row[idColumn]).toLowerCase())).map(ref);
  return { both, onlyFirst, onlySecond, columns };
}

/** Data columns of either row; annotations (`@odata.etag`, `x@OData.Community…`) are not data. */
function columnsOf(a: DataverseRecord, b: DataverseRecord): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !isAnnotation(key)).sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
