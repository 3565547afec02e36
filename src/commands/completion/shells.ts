/** The shells `dvas completion` prints a script for (scripts.ts), in the order its help lists them. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];
