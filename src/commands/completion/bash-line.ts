/**
 * How bash's completion sees a dvas line, and how `dvas __complete-bash` reads it.
 *
 * bash gives a completion function the words of the line split at every COMP_WORDBREAKS character
 * (by default space, tab, newline and `"'@><=;|&(:`), their quotes still on: `--output=` is
 * `--output` `=` ``, `sam@contoso.com` is `sam` `@` `contoso.com`, `'prod'` is `'prod'`, and the word
 * under the cursor is the whole of it, whatever follows the cursor. None of that is what dvas gets
 * when the line runs. So the bash script sends the line itself, up to the cursor (COMP_LINE up to
 * COMP_POINT), and this reads it the way bash will run it: words split at blanks, unquoted, a
 * redirection and its target left out, the words before `dvas` (`FOO=1 dvas …`) too.
 *
 * Readline then puts a candidate in place of only the end of the word being typed: what follows
 * the last COMP_WORDBREAKS character in it that is not quoted (an `@` stays with that end), or,
 * inside a quote not yet closed, what follows the quote. `kept` is the unquoted start of the word
 * that stays, so that `--output=` + `json` is offered as `json` (bash-completion's
 * `__ltrim_colon_completions` does this for `:`).
 */
export interface BashLine {
  /** The words after the command name, unquoted; the last is the one being typed ('' after a blank). */
  words: string[];
  /** The start of the last word that readline keeps on the line: each candidate is offered without it. */
  kept: string;
  /** The word being typed is the target of a redirection (`> out.json`), a file: nothing to offer. */
  redirect: boolean;
}

/** bash's COMP_WORDBREAKS when the user has not changed it. */
export const DEFAULT_WORD_BREAKS = ' \t\n"\'@><=;|&(:';
/** Word breaks readline leaves at the start of the text it completes (bash's rl_special_prefixes). */
const SPECIAL_PREFIXES = '$@';
const BLANKS = ' \t\n';
const ANSI_C_ESCAPES: Readonly<Record<string, string>> = { a: '\u0007', b: '\b', e: '\u001b', E: '\u001b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

export function readBashLine(line: string, wordBreaks: string = DEFAULT_WORD_BREAKS): BashLine {
  const chars = Array.from(line);
  /** Per character: inside quotes, a quote itself, or escaped by a backslash; never a word break then. */
  const quoted: boolean[] = [];
  /** Per character: how much of the current word's unquoted value comes before it. */
  const lengthBefore: number[] = [];
  let command: string[] = [];
  let word: string | undefined;
  let wordStart = 0;
  let wordQuoted = false;
  let quote: '' | "'" | '"' | "$'" = '';
  let openQuoteAt = -1;
  let targetPending = false;

  const startWord = (at: number) => {
    if (word === undefined) {
      word = '';
      wordStart = at;
      wordQuoted = false;
    }
  };
  const endWord = () => {
    if (word === undefined) return;
    if (targetPending) targetPending = false;
    else command.push(word);
    word = undefined;
  };

  for (let at = 0; at < chars.length; at += 1) {
    lengthBefore[at] = word?.length ?? 0;
    const char = chars[at] as string;
    const next = chars[at + 1];
    if (quote !== '') {
      quoted[at] = true;
      if (quote === '"' && char === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
        if (next !== '\n') word += next;
        quoted[at + 1] = true;
        at += 1;
      } else if (quote === "$'" && char === '\\' && next !== undefined) {
        word += ANSI_C_ESCAPES[next] ?? `\\${next}`;
        quoted[at + 1] = true;
        at += 1;
      } else if (char === quote.at(-1)) {
        quote = '';
      } else {
        word += char;
      }
      continue;
    }
    quoted[at] = false;
    if (char === '\\') {
      if (next === '\n') {
        at += 1;
      } else if (next !== undefined) {
        startWord(at);
        word += next;
        wordQuoted = true;
        quoted[at + 1] = true;
        at += 1;
      }
    } else if (char === "'" || char === '"' || (char === '$' && (next === "'" || next === '"'))) {
      startWord(at);
      wordQuoted = true;
      if (char === '$') at += 1;
      quote = char === '$' ? (next === "'" ? "$'" : '"') : char;
      quoted[at] = true;
      openQuoteAt = at;
    } else if (BLANKS.includes(char)) {
      endWord();
    } else if (char === '<' || char === '>' || (char === '&' && next === '>')) {
      // `2>` names a file descriptor, not a word of the command.
      if (word !== undefined && !wordQuoted && /^\d+$/.test(word)) word = undefined;
      endWord();
      while (chars[at + 1] !== undefined && '<>&|'.includes(chars[at + 1] as string)) at += 1;
      targetPending = true;
    } else if (';|&()'.includes(char)) {
      // Another command starts: only its words are dvas's.
      endWord();
      command = [];
      targetPending = false;
    } else {
      startWord(at);
      word += char;
    }
  }
  lengthBefore[chars.length] = word?.length ?? 0;
  // A character read together with the one before it (`\x`, `$'`) starts where that one does.
  for (let at = 1; at < chars.length; at += 1) lengthBefore[at] ??= lengthBefore[at - 1] as number;

  const current = word ?? '';
  const redirect = targetPending;
  let kept = '';
  if (word !== undefined) {
    let textStart: number;
    if (quote !== '') {
      textStart = openQuoteAt + 1;
    } else {
      let brk = chars.length - 1;
      while (brk >= 0 && !(wordBreaks.includes(chars[brk] as string) && !quoted[brk])) brk -= 1;
      textStart = brk < 0 ? 0 : SPECIAL_PREFIXES.includes(chars[brk] as string) ? brk : brk + 1;
    }
    kept = textStart > wordStart ? current.slice(0, lengthBefore[textStart]) : '';
  }
  // `FOO=1 dvas …`: assignments, then the command's name, then its words.
  let first = 0;
  while (first < command.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(command[first] as string)) first += 1;
  return { words: [...command.slice(first + 1), current], kept, redirect };
}
