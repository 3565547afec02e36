import { describe, expect, it } from 'vitest';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { useRewritingProxy, type ProxiedAnswer } from '../helpers/rewriting-proxy.js';

/**
 * Issue 12: a 0x8004A110 whose message keeps its template's {0} and {1} (as captured from the
 * service) was shown with the placeholders. dvas knows both users and names them. The emulator
 * fills its messages, so a proxy in front of it leaves them as the service sends them.
 */
describe('0x8004A110 with unfilled placeholders', () => {
  const emulator = useEmulator();
  const proxy = useRewritingProxy(() => emulator().url);
  const newConfigDir = useTempConfigDir();
  const TEMPLATE = 'User {0} does not have the privilege to act on behalf of user {1}.';
  const unfilled = (_request: unknown, answer: ProxiedAnswer): ProxiedAnswer =>
    answer.body.includes('0x8004A110') ? { ...answer, body: JSON.stringify({ error: { code: '0x8004A110', message: TEMPLATE } }) } : answer;

  it('names the signed-in identity and the user acted as, in the message Dataverse sent too', async () => {
    proxy.rewrite(unfilled);
    const riley = user(emulator(), DEMO.riley);
    const run = await runCli(['whoami', '--verbose', '--as', DEMO.riley], {
      env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.sam), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' },
    });
    proxy.rewrite(undefined);
    expect(run.code, run.stderr).toBe(5);
    // The service's message comes first, its placeholders named; then the diagnosis.
    expect(run.stderr).toContain(`error: User the signed-in identity (Sam Sales) does not have the privilege to act on behalf of user Riley Reader (${riley.internalemailaddress}). [0x8004A110]`);
    expect(run.stderr).not.toMatch(/\{[01]\}/);
    expect(run.stderr).toContain('diagnosis: The signed-in identity (Sam Sales) lacks prvActOnBehalfOfAnotherUser, so it may not act on behalf of another user.');
  });
});
