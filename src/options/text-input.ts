import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { quote } from '../output/terminal-text.js';

/**
 * The text of an input given as a file path, or `-` for stdin (`--file row.json`, `--fetchxml -`).
 * A file that cannot be read is a usage error (exit 2) naming it and the system's reason.
 */
export async function readTextInput(pathOrDash: string, stdin: NodeJS.ReadableStream): Promise<string> {
  return pathOrDash === '-' ? readAll(stdin) : readFileText(pathOrDash);
}

async function readFileText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : 'unreadable';
    throw new UsageError(`Cannot read the file ${quote(path)} (${code}).`, { cause });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
