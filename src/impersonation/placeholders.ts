/**
 * Some Dataverse messages arrive with their template's placeholders unfilled (`User {0} …
 * {1}`, as captured for 0x8004A110 and 0x80040225). Where dvas knows whom they stand for, it names
 * them; a placeholder it cannot name is left as sent.
 */
export function namePlaceholders(text: string, names: readonly (string | undefined)[]): string {
  return text.replace(/\{(\d+)\}/g, (placeholder, index: string) => names[Number(index)] ?? placeholder);
}
