/** A seed that cannot be loaded; the message is one sentence naming the item at fault. */
export class SeedError extends Error {
  override name = 'SeedError';
}
