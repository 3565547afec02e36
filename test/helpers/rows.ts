import type { RunningEmulator } from '../../src/emulator/index.js';
import { api } from './emulator.js';

/** Creates a row over HTTP as `who` (an email or the app's client id), the way any client would, and returns its id. */
export async function createRowAs(emulator: RunningEmulator, who: string, entitySet: string, body: Record<string, unknown>): Promise<string> {
  const response = await api(emulator, 'POST', entitySet, { as: who, body });
  const id = /\(([0-9a-f-]{36})\)$/.exec(response.headers.get('odata-entityid') ?? '')?.[1];
  if (response.status !== 204 || !id) throw new Error(`Could not create a row in ${entitySet}: ${response.status} ${response.text}`);
  return id;
}

/** A GUID no row has. */
export const MISSING_ID = '0f0f0f0f-0000-4000-8000-00000000beef';
