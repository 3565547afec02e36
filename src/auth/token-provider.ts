/** An access token and when it stops working. */
export interface AccessToken {
  token: string;
  expiresOn: Date;
}

/**
 * Where the Dataverse client gets its bearer tokens. One per profile and run; implementations
 * cache (msal's token cache, persisted across runs) so that asking again is cheap.
 */
export interface TokenProvider {
  /** `forceRefresh`: the service refused the last token (401); do not hand out the cached one. */
  getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
}
