import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fetchErrors } from './fetch-errors.js';

/** One XML element as the FetchXML reader walks it: its name, attributes, child elements in order, and text. */
export interface XmlElement {
  name: string;
  attributes: ReadonlyMap<string, string>;
  children: readonly XmlElement[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Only the five predefined XML entities and character references: a FetchXML query has no DTD.
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Longest FetchXML accepted: a GET inside $batch allows URLs up to 64 KB (use-fetchxml-web-api). */
const MAX_LENGTH = 65_536;

/**
 * Reads a FetchXML document into elements. Malformed XML gets the service's "Invalid XML."; a
 * document type declaration is refused before anything is parsed, so no entity it declares is
 * ever expanded (no entity-expansion or external-entity attack reaches the parser).
 */
export function readXml(text: string): XmlElement {
  if (text.length > MAX_LENGTH || /<!DOCTYPE|<!ENTITY/i.test(text)) throw fetchErrors.invalidXml();
  if (XMLValidator.validate(text) !== true) throw fetchErrors.invalidXml();
  const nodes = parser.parse(withCharacterReferencesResolved(text)) as RawNode[];
  const roots = nodes.map(toElement).filter((node): node is XmlElement => node !== undefined);
  const [root, extra] = roots;
  if (!root || extra) throw fetchErrors.invalidXml();
  return root;
}

const MARKUP: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/**
 * Character references (`&#60;`, `&#x3C;`) are resolved here because the parser leaves them as
 * they are in attribute values; the markup characters become named entities, which it does resolve.
 */
function withCharacterReferencesResolved(text: string): string {
  return text.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (reference, digits: string) => {
    const code = digits.startsWith('x') ? Number.parseInt(digits.slice(1), 16) : Number(digits);
    if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw fetchErrors.invalidXml();
    const char = String.fromCodePoint(code);
    return MARKUP[char] ?? char;
  });
}

/** fast-xml-parser's ordered form: `{ tag: children[], ':@': attributes }` or `{ '#text': text }`. */
type RawNode = Record<string, unknown>;

function toElement(node: RawNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name === '#comment' || name.startsWith('?')) return undefined;
  const raw = (node[':@'] ?? {}) as Record<string, unknown>;
  const attributes = new Map<string, string>(Object.entries(raw).map(([key, value]) => [key, String(value)]));
  const rawChildren = (node[name] ?? []) as RawNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { name, attributes, children, text };
}
