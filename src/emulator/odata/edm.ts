import type { AttributeDef } from '../metadata/types.js';

/** The OData primitive types the emulator's properties and literals have (as ODataLib names them in errors). */
export type EdmType =
  | 'Edm.String'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Decimal'
  | 'Edm.Double'
  | 'Edm.Boolean'
  | 'Edm.Guid'
  | 'Edm.DateTimeOffset'
  | 'Edm.Date';

export function edmTypeOf(attribute: AttributeDef): EdmType {
  switch (attribute.type) {
    case 'String':
    case 'Memo':
    case 'EntityName':
      return 'Edm.String';
    case 'Integer':
    case 'Picklist':
    case 'State':
    case 'Status':
      return 'Edm.Int32';
    case 'BigInt':
      return 'Edm.Int64';
    case 'Decimal':
    case 'Money':
      return 'Edm.Decimal';
    case 'Double':
      return 'Edm.Double';
    case 'Boolean':
      return 'Edm.Boolean';
    case 'DateTime':
      return 'Edm.DateTimeOffset';
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return 'Edm.Guid';
  }
}

type Family = 'string' | 'number' | 'boolean' | 'guid' | 'date';

const FAMILIES: Readonly<Record<EdmType, Family>> = {
  'Edm.String': 'string',
  'Edm.Int32': 'number',
  'Edm.Int64': 'number',
  'Edm.Decimal': 'number',
  'Edm.Double': 'number',
  'Edm.Boolean': 'boolean',
  'Edm.Guid': 'guid',
  'Edm.DateTimeOffset': 'date',
  'Edm.Date': 'date',
};

/** Whether two types can meet in a comparison (numbers promote to each other, dates to date-times). */
export function comparableTypes(a: EdmType, b: EdmType): boolean {
  return FAMILIES[a] === FAMILIES[b];
}
