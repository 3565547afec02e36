import type { Dispatcher } from 'undici';
import type { Clock } from '../clock/clock.js';
import type { IO } from '../output/io.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What every token provider may need from the run; all of it comes from the CLI context. */
export interface TokenProviderOptions {
  env: Env;
  io: IO;
  /** The run's one dispatcher: msal and tenant discovery use it too. */
  dispatcher: Dispatcher;
  /** The msal token cache file, shared by every msal sign-in kind (`tokenCacheFile(env)`). */
  cacheFile: string;
  /**
   * Whether a device-code or browser sign-in may start by itself when no saved sign-in fits.
   * Default: when stderr is a terminal (a person is there to see the code); scripts get an error
   * asking for `dvas login` instead of hanging for fifteen minutes.
   */
  allowInteraction?: boolean;
  /** Managed identity: how long to wait for the identity endpoint (IMDS retries for a long time). */
  managedIdentityTimeoutMs?: number;
  /** Interactive sign-in: opens the sign-in page; the default tries the platform's opener, else prints the URL. */
  openBrowser?: (url: string) => Promise<void>;
  /** The run's clock (default: the system clock): token expiry, the managed identity timeout, log timings. */
  clock?: Clock;
  /** --verbose: where the sign-in requests are logged (method, sanitized URL, status, time). */
  log?: (text: string) => void;
}
