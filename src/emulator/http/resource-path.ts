/**
 * Splits an OData resource path (`systemusers(…)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)`)
 * into segments of `name` and optional parenthesised `args`, respecting quotes and nesting, so
 * that a slash inside a key or a function argument does not split it.
 */
export interface PathSegment {
  /** The segment as sent (decoded), for error messages. */
  raw: string;
  name: string;
  /** Text between the outer parentheses; undefined when there were none. */
  args?: string;
}

export class PathSyntaxError extends Error {}

export function splitResourcePath(path: string): PathSegment[] {
  const pieces: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (char === "'") {
      // '' inside a quoted literal is an escaped quote, not the end of the literal.
      if (quoted && path[i + 1] === "'") {
        current += "''";
        i++;
        continue;
      }
      quoted = !quoted;
    } else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    if (char === '/' && depth === 0 && !quoted) {
      pieces.push(current);
      current = '';
    } else current += char;
  }
  if (quoted || depth !== 0) throw new PathSyntaxError(`Bad Request - Error in query syntax.`);
  pieces.push(current);
  return pieces.filter((piece, index) => piece !== '' || index < pieces.length - 1).map(parseSegment);
}

function parseSegment(raw: string): PathSegment {
  const open = raw.indexOf('(');
  if (open === -1 || !raw.endsWith(')')) return { raw, name: raw };
  return { raw, name: raw.slice(0, open), args: raw.slice(open + 1, -1) };
}

/**
 * Parses `Name=value,Other=value` function arguments (values are raw OData literals; `@p1` aliases
 * are replaced from the query string). A bare value (`accounts(<guid>)`) comes back under ''.
 */
export function parseArguments(args: string, aliases: ReadonlyMap<string, string>): Map<string, string> {
  const result = new Map<string, string>();
  if (args.trim() === '') return result;
  for (const part of splitTopLevel(args, ',')) {
    const eq = findTopLevel(part, '=');
    const name = eq === -1 ? '' : part.slice(0, eq).trim();
    let value = (eq === -1 ? part : part.slice(eq + 1)).trim();
    if (value.startsWith('@')) {
      const aliased = aliases.get(value);
      if (aliased === undefined) throw new PathSyntaxError(`The parameter alias '${value}' was not given a value.`);
      value = aliased;
    }
    result.set(name, value);
  }
  return result;
}

/** Splits on a separator that is outside quotes, parentheses, brackets and braces. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let index = findTopLevel(text, separator, start);
  while (index !== -1) {
    parts.push(text.slice(start, index));
    start = index + 1;
    index = findTopLevel(text, separator, start);
  }
  parts.push(text.slice(start));
  return parts;
}

function findTopLevel(text: string, separator: string, from = 0): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === quote) {
        if (text[i + 1] === quote) i++;
        else quote = undefined;
      }
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === separator && depth === 0) return i;
  }
  return -1;
}

/** Reads an OData string literal ('O''Bryan' → O'Bryan); undefined when the text is not one. */
export function stringLiteral(value: string): string | undefined {
  if (value.length < 2 || !value.startsWith("'") || !value.endsWith("'")) return undefined;
  return value.slice(1, -1).replace(/''/g, "'");
}
