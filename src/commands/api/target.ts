import { UsageError } from '../../errors.js';
import { HTTP_METHODS, type HttpMethod } from '../../dataverse/pipeline.js';
import { quote } from '../../output/terminal-text.js';

// Any C0 or C1 control character, DEL included: none belongs in a URL or a header, and echoing one would reach the terminal.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** `get` → `GET`; anything but the methods the Web API answers is a usage error. */
export function parseMethod(raw: string): HttpMethod {
  const method = HTTP_METHODS.find((known) => known === raw.trim().toUpperCase());
  if (!method) throw new UsageError(`${quote(raw)} is not an HTTP method dvas sends: use one of ${HTTP_METHODS.join(', ')}.`);
  return method;
}

/**
 * Where `dvas api` sends the request, checked before anything is sent (and before a token is
 * asked for), so that the token never goes anywhere but the environment:
 * - a path relative to the Web API root (`accounts?$top=1`, `WhoAmI`, `RetrievePrincipalAccess(…)`);
 * - a path from the environment's root under `/api/data/` (`/api/data/v9.2/accounts`);
 * - a full URL of the same environment (an `@odata.nextLink` pasted back), same scheme, host and port.
 * Another host, a protocol-relative `//host`, credentials in the URL, a path that climbs out of
 * the Web API (`../`), a fragment, or a control character is a usage error (exit 2).
 */
export function resolveApiTarget(raw: string, apiRoot: URL): URL {
  const input = raw.trim();
  const fail = (problem: string, hint?: string) => new UsageError(`${problem}: nothing was sent.`, hint ? { hint } : {});
  if (input === '') throw fail('The path is empty', 'Give a path relative to the Web API root, such as accounts?$top=1 or WhoAmI.');
  if (CONTROL_CHARACTER.test(input)) throw fail(`The path ${quote(input)} contains a control character`);
  if (input.includes('#')) throw fail(`The path ${quote(input)} has a fragment (#…), which is never sent to a server`);
  if (input.startsWith('//') || input.startsWith('\\')) {
    throw fail(`Refusing ${quote(input)}: a path starting with // names another host, and dvas sends its token only to ${apiRoot.origin}`);
  }

  let url: URL;
  if (SCHEME.test(input)) {
    try {
      url = new URL(input);
    } catch {
      throw fail(`${quote(input)} is not a valid URL`);
    }
    if (url.origin !== apiRoot.origin) {
      throw fail(`Refusing to send the request to ${url.origin}: it is not the environment ${apiRoot.origin}, and dvas sends its token nowhere else`, 'Give a path relative to the Web API root, or a URL of the profile\'s environment.');
    }
    if (url.username !== '' || url.password !== '') throw fail('The URL holds a user name or password: dvas signs in itself');
  } else {
    url = new URL(input.startsWith('/') ? input : `${apiRoot.pathname}${input}`, apiRoot.origin);
  }
  // The URL parser resolves `..` and `%2e%2e`: check where the request really goes.
  const within = input.startsWith('/') || SCHEME.test(input) ? '/api/data/' : apiRoot.pathname;
  if (url.origin !== apiRoot.origin || !url.pathname.startsWith(within)) {
    throw fail(`The path ${quote(input)} leads to ${url.pathname}, outside the Web API (${within})`, 'Give a path relative to the Web API root, such as accounts?$top=1.');
  }
  return url;
}

/** Headers the caller may not set by hand, and why. Names compare without regard to case (RFC 9110). */
const REFUSED_HEADERS: Readonly<Record<string, string>> = {
  authorization: 'dvas signs in itself and sends the token of the profile',
  callerobjectid: 'use --as to run as another user, so that dvas resolves and checks the user',
  mscrmcallerid: 'use --as to run as another user, so that dvas resolves and checks the user',
  host: 'dvas sends the request to the environment of the profile',
  'content-length': 'dvas sets it from the body',
  'transfer-encoding': 'dvas sets it from the body',
  connection: 'dvas manages its connections',
};

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `-H 'Name: value'`, each checked: a name that is an HTTP token, a value on one line, none of REFUSED_HEADERS. */
export function parseHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const text of raw) {
    const colon = text.indexOf(':');
    const name = (colon === -1 ? text : text.slice(0, colon)).trim();
    if (colon === -1 || !TOKEN.test(name)) {
      throw new UsageError(`-H ${quote(text)} is not a header: write it as 'Name: value'.`, { hint: "For example -H 'Prefer: odata.maxpagesize=10'." });
    }
    const value = text.slice(colon + 1).trim();
    if (CONTROL_CHARACTER.test(value)) throw new UsageError(`The value of -H ${name} contains a control character (a line break would start another header): nothing was sent.`);
    const refused = REFUSED_HEADERS[name.toLowerCase()];
    if (refused) throw new UsageError(`-H ${name} is not allowed: ${refused}. Nothing was sent.`);
    if (Object.keys(headers).some((known) => known.toLowerCase() === name.toLowerCase())) {
      throw new UsageError(`-H ${name} is given twice: give each header once (join the values of Prefer with commas).`);
    }
    headers[name] = value;
  }
  return headers;
}
