/**
 * A stand-in for the person's browser in an interactive (authorization code) sign-in: it opens the
 * authorize URL, and when the authority answers with Entra's auto-submitting form (form_post), does
 * what the page's script does, posting the form's fields to its action (the client's loopback
 * redirect). It runs no other script and follows no redirects, so tests see every step.
 */

export interface AutoPostForm {
  action: string;
  fields: Record<string, string>;
}

export interface BrowserVisit {
  /** The authorize URL as opened. */
  url: URL;
  status: number;
  html: string;
  /** Entra's form_post form, when the page is one. */
  form?: AutoPostForm;
  /** What the loopback redirect answered to the form's post (msal's success or error page). */
  posted?: { status: number; text: string };
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** Entra's form_post page: `<form method="POST" name="hiddenform" action="…">` with hidden inputs. */
export function readAutoPostForm(html: string): AutoPostForm | undefined {
  const form = /<form method="POST" name="hiddenform" action="([^"]*)">/.exec(html);
  if (!form || !/document\.forms\[0\]\.submit\(\)/.test(html)) return undefined;
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)" \/>/g)) {
    fields[decodeEntities(input[1] ?? '')] = decodeEntities(input[2] ?? '');
  }
  return { action: decodeEntities(form[1] ?? ''), fields };
}

/** Opens a URL as the browser would (GET, no redirects followed) and submits an auto-post form if the page has one. */
export async function visit(url: string): Promise<BrowserVisit> {
  const response = await fetch(url, { redirect: 'manual' });
  const html = await response.text();
  const visitResult: BrowserVisit = { url: new URL(url), status: response.status, html };
  const form = readAutoPostForm(html);
  if (!form) return visitResult;
  const posted = await fetch(form.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields).toString(),
    redirect: 'manual',
  });
  return { ...visitResult, form, posted: { status: posted.status, text: await posted.text() } };
}

/**
 * An `openBrowser` callback for msal-node's acquireTokenInteractive (and dvas's interactive
 * provider) that visits the URL with `visit`, recording every visit. A page that posts nothing
 * back (an error page, or one asking who signs in) leaves the sign-in waiting forever in a real
 * browser; here the callback fails with the page's text instead, so the test ends.
 */
export function simulatedBrowser(rewrite: (url: URL) => URL = (url) => url): { open: (url: string) => Promise<void>; visits: BrowserVisit[] } {
  const visits: BrowserVisit[] = [];
  return {
    visits,
    open: async (url: string) => {
      const result = await visit(rewrite(new URL(url)).toString());
      visits.push(result);
      if (!result.form) throw new Error(`The authorize page posted nothing back (${result.status}): ${pageText(result.html)}`);
    },
  };
}

/** The visible text of a page, for assertions on what a person would read. */
export function pageText(html: string): string {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** A person filling in the "who signs in" page: its GET form sent again with their email as `login_hint`. */
export function chooseAccount(html: string, pageUrl: URL, email: string): string {
  const action = /<form method="get" action="([^"]*)">/.exec(html)?.[1];
  if (action === undefined) throw new Error('The page has no account form.');
  const target = new URL(decodeEntities(action), pageUrl);
  for (const input of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    target.searchParams.append(decodeEntities(input[1] ?? ''), decodeEntities(input[2] ?? ''));
  }
  target.searchParams.set('login_hint', email);
  return target.toString();
}
