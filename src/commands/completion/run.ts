import type { Command } from 'commander';
import type { ContextDependencies } from '../../context.js';
import type { IO } from '../../output/io.js';
import { resolveProfile } from '../../profiles/resolve.js';
import { checkReadableFile } from '../../profiles/validate.js';
import { TableCache, tableCacheFile } from '../../tables/table-cache.js';
import { readBashLine } from './bash-line.js';
import { completionCandidates, type CompletionSources } from './complete.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What the shell scripts of `dvas completion` call on every Tab: the candidates, one a line, on
 * stdout. `dvas __complete <words…>` gets the words after `dvas` as the shell will pass them, the
 * partial one last (zsh, fish, PowerShell); `dvas __complete-bash <line> [<COMP_WORDBREAKS>]` gets
 * the line as typed up to the cursor and answers with what readline puts in place of the end of
 * the word (bash-line.ts). It reads the program tree, the profiles file and the table cache, and
 * nothing else: no sign-in, no request. A shell prints whatever a completer writes under the
 * prompt, so on any failure it writes nothing at all, to stdout or stderr, and answers 0.
 */
export async function runComplete(program: Command, argv: readonly string[], io: Pick<IO, 'stdout'>, env: Env, dependencies: Pick<ContextDependencies, 'clock' | 'profileStore'>): Promise<void> {
  try {
    const request = argv[0] === '__complete-bash' ? readBashLine(argv[1] ?? '', argv[2] || undefined) : { words: argv.slice(1), kept: '', redirect: false };
    // The file a redirection names: the shell completes it.
    if (request.redirect) return;
    const store = dependencies.profileStore(env);
    // The environment the command would run against, worked out from local files only.
    const tables = async (flag: string | undefined) => {
      const { profile } = await resolveProfile({ flag, env, readSaved: () => store.read(), checkFile: checkReadableFile });
      // Whatever the age of an entry: a name learned an hour ago is still the likeliest to be
      // typed, and a stale one costs its lookup when the command runs, never a wrong answer.
      const cache = new TableCache(tableCacheFile(env), () => new Date(dependencies.clock.now()), Number.POSITIVE_INFINITY);
      return (await cache.entitySetNames(new URL(profile.url).origin)).sort();
    };
    // A source that fails (no profile, an unreadable file) offers nothing; the rest still answer.
    const sources: CompletionSources = {
      profiles: () => store.read().then((saved) => [...saved.profiles.keys()].sort(), () => []),
      tables: (flag) => tables(flag).catch(() => []),
    };
    const candidates = (await completionCandidates(program, request.words, sources)).map((candidate) => candidate.slice(request.kept.length)).filter(Boolean);
    if (candidates.length > 0) io.stdout.write(`${candidates.join('\n')}\n`);
  } catch {
    // Nothing to offer is an answer too: the shell falls back to file names.
  }
}
