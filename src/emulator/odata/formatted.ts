import type { AttributeDef } from '../metadata/types.js';
import type { ColumnValue } from '../store/types.js';

// Formatters are built once: Intl objects are expensive to create and rows are formatted in bulk.
// The emulator's users format as en-US and live on UTC (the service uses each user's settings).
const MONEY = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * The `OData.Community.Display.V1.FormattedValue` of a column (select-columns "Formatted values"):
 * choice/yes-no/status labels, money with its symbol (`$1,200,000.00`), grouped numbers, dates as
 * `4/7/2023 2:59 PM`, and for lookups the related row's primary name (given by the caller).
 * Undefined for types the service gives no formatted value (text, ids, big integers).
 */
export function formattedValue(attribute: AttributeDef, value: ColumnValue | undefined, lookupName: () => string | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (attribute.type) {
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return lookupName();
    case 'Picklist':
    case 'State':
    case 'Status':
      return typeof value === 'number' ? attribute.options?.[value] : undefined;
    case 'Boolean':
      return typeof value === 'boolean' ? (attribute.options?.[value ? 1 : 0] ?? (value ? 'Yes' : 'No')) : undefined;
    case 'Money':
      return typeof value === 'number' ? MONEY.format(value) : undefined;
    case 'Integer':
      return typeof value === 'number' ? WHOLE.format(value) : undefined;
    case 'Decimal':
    case 'Double':
      return typeof value === 'number' ? DECIMAL.format(value) : undefined;
    case 'DateTime':
      return typeof value === 'string' ? formatDateTime(value) : undefined;
    default:
      return undefined;
  }
}

function formatDateTime(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${clock}`;
}
