/** A Content-Type header split into its media type (lower-case) and parameters (names lower-case, values unquoted). */
export interface ContentType {
  mediaType: string;
  parameters: Array<{ name: string; value: string }>;
}

export function parseContentType(header: string): ContentType {
  const [mediaType = '', ...rest] = header.split(';');
  const parameters = rest
    .map((parameter) => {
      const eq = parameter.indexOf('=');
      const name = (eq === -1 ? parameter : parameter.slice(0, eq)).trim().toLowerCase();
      const value = eq === -1 ? '' : parameter.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      return { name, value };
    })
    .filter((parameter) => parameter.name !== '');
  return { mediaType: mediaType.trim().toLowerCase(), parameters };
}

/** The boundary parameter's values: none, one, or (a malformed header) several. */
export function boundaries(contentType: ContentType): string[] {
  return contentType.parameters.filter((parameter) => parameter.name === 'boundary').map((parameter) => parameter.value);
}
