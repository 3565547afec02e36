import type { DataverseClient } from '../dataverse/client.js';

/**
 * "the signed-in identity (Devon Delegate)": named by its systemuser row when Dataverse let dvas
 * read it, else by its token (a user with no role of its own may not read its own row), and by
 * its id only when neither names it (an app-only token).
 */
export async function signedInLabel(client: DataverseClient, row: { fullname?: string | null } | undefined, id: string): Promise<string> {
  return `the signed-in identity (${row?.fullname || (await client.signedInName()) || id})`;
}
