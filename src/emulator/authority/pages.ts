import { escapeHtml } from './http-io.js';

/** The emulator's own pages (verification, account choice, errors): one plain layout. */
export function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.4rem;font-size:1rem}button{margin-top:1rem;padding:.5rem 1.5rem;font-size:1rem}.error{color:#a4262c}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${content}
</body></html>
`;
}

/**
 * What the authorize endpoints answer when opened with no sign-in request, as the Web API's bearer
 * challenge (which points at the v1 one) invites: which sign-ins the emulated authority serves.
 */
export function authorizePage(tenantId: string, origin: string): string {
  return page(
    'dvas emulator: sign-in authority',
    `<p>This is the sign-in authority of tenant <code>${escapeHtml(tenantId)}</code>, emulated by <code>dvas emulator</code>.</p>
<p>Sign in with client credentials (secret, certificate or a federated token), with a device code approved at
<a href="${escapeHtml(origin)}/devicelogin">${escapeHtml(origin)}/devicelogin</a>, or in a browser: an authorization
code request (<code>response_type=code</code>, PKCE, a loopback <code>redirect_uri</code>) to
<code>${escapeHtml(origin)}/${escapeHtml(tenantId)}/oauth2/v2.0/authorize</code>.</p>`,
  );
}

/** The device code verification page (`verification_uri`): a code, the person signing in, and a button. */
export function deviceLoginPage(outcome?: { ok: boolean; text: string }): string {
  const message = outcome ? `<p class="${outcome.ok ? 'ok' : 'error'}">${escapeHtml(outcome.text)}</p>` : '';
  return page(
    'Enter code',
    `${message}
<p>Enter the code shown by the application, and the email of the emulated user to sign in as.</p>
<form method="post" action="/devicelogin">
<label for="user_code">Code</label><input id="user_code" name="user_code" autocomplete="off" required>
<label for="user">Sign in as (email)</label><input id="user" name="user" type="email" required>
<button type="submit">Sign in</button>
</form>`,
  );
}
