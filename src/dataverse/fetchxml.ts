/**
 * FetchXML as dvas sends it: the root `<fetch>` element's attributes are read and set on the text
 * itself, so that the rest of a query (comments, formatting, everything FetchXML Builder wrote) goes
 * to Dataverse as it was written. Paging follows Microsoft's "Page results using FetchXml": the
 * next request is the same query with `page` incremented and `paging-cookie` set to the cookie of
 * the page before.
 */

/** The root element's start tag: where it is in the text and its attributes as written. */
interface FetchStartTag {
  /** Offsets of `<fetch` and of the end of the tag's last attribute. */
  start: number;
  attributesEnd: number;
  attributes: Map<string, string>;
}

const PROLOGUE = /^(?:\uFEFF)?(?:\s+|<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->)*/;

/** Reads the start tag of the root element when it is `<fetch …>`; undefined when the text is not FetchXML. */
function fetchStartTag(text: string): FetchStartTag | undefined {
  const start = PROLOGUE.exec(text)?.[0].length ?? 0;
  if (!text.startsWith('<fetch', start) || !/[\s/>]/.test(text[start + 6] ?? '')) return undefined;
  const attributes = new Map<string, string>();
  let position = start + 6;
  for (;;) {
    const afterSpace = position + (/^\s*/.exec(text.slice(position))?.[0].length ?? 0);
    if (text.startsWith('>', afterSpace) || text.startsWith('/>', afterSpace)) return { start, attributesEnd: position, attributes };
    const name = /^[^\s=/>]+/.exec(text.slice(afterSpace))?.[0];
    if (!name || afterSpace === position) return undefined;
    const equals = /^\s*=\s*(["'])/.exec(text.slice(afterSpace + name.length));
    if (!equals) return undefined;
    const quote = equals[1] as string;
    const valueStart = afterSpace + name.length + equals[0].length;
    const valueEnd = text.indexOf(quote, valueStart);
    if (valueEnd === -1) return undefined;
    attributes.set(name, unescapeXml(text.slice(valueStart, valueEnd)));
    position = valueEnd + 1;
  }
}

/** Whether the text's root element is `<fetch>` (a cheap check before anything is sent). */
export function isFetchXml(text: string): boolean {
  return fetchStartTag(text) !== undefined;
}

/** An attribute of the root `<fetch>` element, unescaped, or undefined. */
export function fetchAttribute(text: string, name: string): string | undefined {
  return fetchStartTag(text)?.attributes.get(name);
}

/** The table the query's `<entity name="…">` names, or undefined when none can be read. */
export function fetchEntityName(text: string): string | undefined {
  return /<entity\s[^>]*?\bname\s*=\s*(["'])([^"']*)\1/.exec(text)?.[2];
}

/** The same query with these attributes of `<fetch>` set (replaced when present, added when not). */
export function withFetchAttributes(text: string, values: Readonly<Record<string, string>>): string {
  const tag = fetchStartTag(text);
  if (!tag) throw new Error('Internal: not FetchXML.');
  const attributes = new Map(tag.attributes);
  for (const [name, value] of Object.entries(values)) attributes.set(name, value);
  const written = [...attributes].map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join('');
  return `${text.slice(0, tag.start)}<fetch${written}${text.slice(tag.attributesEnd)}`;
}

/**
 * The paging cookie to send with the next page, from the `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`
 * annotation: its `pagingcookie` attribute, URL-decoded twice (page-results). Undefined when the
 * annotation has none (then paging goes on by page number alone, as the docs say it falls back).
 */
export function nextPagingCookie(annotation: unknown): string | undefined {
  if (typeof annotation !== 'string') return undefined;
  const encoded = /\bpagingcookie\s*=\s*"([^"]*)"/.exec(annotation)?.[1];
  if (encoded === undefined) return undefined;
  try {
    return decodeURIComponent(decodeURIComponent(encoded));
  } catch {
    return undefined;
  }
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (entity, body: string) => {
    if (body === 'lt') return '<';
    if (body === 'gt') return '>';
    if (body === 'quot') return '"';
    if (body === 'apos') return "'";
    if (body === 'amp') return '&';
    const code = body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
