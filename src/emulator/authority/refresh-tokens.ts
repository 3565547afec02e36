import { randomBytes } from 'node:crypto';

export interface RefreshGrant {
  clientId: string;
  /** The systemuserid of the person signed in. */
  userId: string;
}

/**
 * Refresh tokens handed out with user sign-ins: opaque, bound to the client that received them.
 * As on Entra, redeeming one returns a new one and the old one stays valid; they do not expire
 * during an emulator's life (Entra's last 90 days).
 */
export class RefreshTokenStore {
  private readonly grants = new Map<string, RefreshGrant>();

  issue(grant: RefreshGrant): string {
    const token = `0.emu.${randomBytes(48).toString('base64url')}`;
    this.grants.set(token, grant);
    return token;
  }

  find(token: string): RefreshGrant | undefined {
    return this.grants.get(token);
  }
}
