/**
 * A JSON syntax error that is safe to keep as an error's cause: where the text broke, never what it
 * said. V8's own message quotes a window of the input, and the inputs here (sign-in answers, the
 * Azure CLI's output) carry tokens; DVAS_DEBUG=1 prints causes.
 */
export function jsonSyntaxCause(error: unknown): Error {
  const position = error instanceof SyntaxError ? /position (\d+)/.exec(error.message)?.[1] : undefined;
  return new Error(position === undefined ? 'The text is not valid JSON.' : `The text is not valid JSON (at position ${position}).`);
}
