/** A reference from one row to another: what a lookup column holds. */
export interface LookupValue {
  readonly id: string;
  readonly table: string;
}

export type ColumnValue = string | number | boolean | null | LookupValue;

/** A stored row: column logical name → value. Lookups hold a LookupValue; dates an ISO string. */
export type Row = Record<string, ColumnValue>;

export function isLookupValue(value: unknown): value is LookupValue {
  return typeof value === 'object' && value !== null && 'id' in value && 'table' in value;
}
