import { escapeHtml } from '../http-io.js';
import { page } from '../pages.js';
import type { Person } from '../people.js';

/**
 * Entra's `response_mode=form_post` answer, in its shape: a hidden form the page's script submits
 * at once to the redirect URI, with a button for browsers that run no script.
 */
export function formPostPage(redirectUri: string, fields: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join('');
  return `<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`;
}

/** What Entra shows when it cannot send an error back to the application (unknown client, unregistered redirect URI). */
export function signInErrorPage(message: string, ids: { traceId: string; correlationId: string }, timestamp: string): string {
  return page(
    'Sign in',
    `<p>Sorry, but we’re having trouble signing you in.</p>
<p class="error">${escapeHtml(message)}</p>
<p>Request Id: ${escapeHtml(ids.traceId)}<br>Correlation Id: ${escapeHtml(ids.correlationId)}<br>Timestamp: ${escapeHtml(timestamp)}</p>`,
  );
}

/**
 * Where Entra would ask for a password: the emulator has no passwords, so the person says who they
 * are (the people who can sign in are listed). The form sends the same request again with a
 * `login_hint`, which the endpoint then signs in.
 */
export function chooseAccountPage(action: string, params: URLSearchParams, people: readonly Person[], problem: string | undefined): string {
  const hidden = [...params]
    .filter(([name]) => name !== 'login_hint')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const options = people.map((person) => `<option value="${escapeHtml(person.username)}">${escapeHtml(person.fullname)}</option>`).join('');
  const list = people.map((person) => `<li>${escapeHtml(person.fullname)}: <code>${escapeHtml(person.username)}</code></li>`).join('\n');
  return page(
    'Sign in',
    `${problem ? `<p class="error">${escapeHtml(problem)}</p>\n` : ''}<p>Sign in as one of the organisation's people (no password: this is the dvas emulator).
Start the emulator with <code>--approve-device-codes &lt;email&gt;</code> to sign everyone in as one person without this page.</p>
<form method="get" action="${escapeHtml(action)}">
${hidden}
<label for="login_hint">Email</label><input id="login_hint" name="login_hint" type="email" list="people" required>
<datalist id="people">${options}</datalist>
<button type="submit">Sign in</button>
</form>
<p>Who may sign in:</p>
<ul>
${list}
</ul>`,
  );
}
