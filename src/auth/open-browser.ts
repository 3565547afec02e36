import { spawn } from 'node:child_process';
import type { IO } from '../output/io.js';
import type { Env } from './provider-options.js';

/**
 * Opens the sign-in page in the person's browser with the platform's own opener (no dependency),
 * and prints the URL on stderr whenever that cannot work (no display, opener missing or failing),
 * so a sign-in over SSH can still be finished from another machine.
 */
export function defaultOpenBrowser(io: IO, env: Env, platform: NodeJS.Platform = process.platform): (url: string) => Promise<void> {
  return async (url: string) => {
    const opener = openerFor(platform, env);
    const opened = opener ? await run(opener.command, [...opener.args, url]) : false;
    io.stderr.write(
      opened
        ? 'A browser window is open to sign in; finish there.\n'
        : `Open this URL in a browser to sign in:\n${url}\n`,
    );
  };
}

function openerFor(platform: NodeJS.Platform, env: Env): { command: string; args: string[] } | undefined {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // rundll32 takes the URL as one argument: no shell, so the & in the query cannot split it.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return { command: 'xdg-open', args: [] };
}

function run(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
    child.unref();
  });
}
