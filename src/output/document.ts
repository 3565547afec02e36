/**
 * One JSON value as -o json or -o ndjson prints it: pretty-printed for json, one line for ndjson,
 * each ending in a newline. The one place that choice is made, for data (render.ts), for errors
 * (error.ts) and for the --dry-run document (dataverse/dry-run.ts).
 */
export function formatDocument(document: unknown, format: 'json' | 'ndjson'): string {
  return format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : `${JSON.stringify(document)}\n`;
}
