import type { Profile } from '../../src/profiles/types.js';

export { bufferIO } from '../helpers/buffer-io.js';

export function profileFor(url: string, overrides: Partial<Profile> = {}): Profile {
  return { name: 'test', url, auth: 'token', apiVersion: 'v9.2', ...overrides };
}
