/** The formats a bulk input comes in (docs/bulk-create.md, "Input"). */
export type InputFormat = 'json' | 'ndjson' | 'csv';

/**
 * One row as read from the input, before it is checked: a JSON value (JSON array, NDJSON) or the
 * cells under the CSV header. `position` is what the report and errors name it by (the line, or
 * the element of a JSON array); `ordinal` counts rows (1, 2, …), whatever their lines: --shard
 * partitions by it.
 */
export interface InputRow {
  position: number;
  ordinal: number;
  /** A JSON array element or an NDJSON line, parsed. */
  value?: unknown;
  /** A CSV record: the header's names and the record's text. */
  cells?: ReadonlyMap<string, string>;
  /** Why the row could not be read at all (not JSON, a CSV record with too many fields). */
  unreadable?: string;
}

/** How a position is named in messages: `line 7`, or `row 3` of a JSON array. */
export type PositionKind = 'line' | 'row';

export function positionKindOf(format: InputFormat): PositionKind {
  return format === 'json' ? 'row' : 'line';
}

export function describePosition(kind: PositionKind, position: number): string {
  return `${kind} ${position}`;
}
