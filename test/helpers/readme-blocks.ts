/** The marker, on the line right before a fence, of a README block that runs against the emulator. */
export const RUNNABLE_MARKER = '<!-- runnable -->';

/** A marked block: where it starts (1-based line of its first code line), its language and code. */
export interface RunnableBlock {
  line: number;
  /** `sh` runs with bash; `js` is an ES module run with node, where `dvas` resolves to this package; `python` runs with python3. */
  language: 'sh' | 'js' | 'python';
  code: string;
}

/** Every ```sh, ```js or ```python block whose fence follows the marker line; a marker before anything else is an error. */
export function runnableBlocks(markdown: string): RunnableBlock[] {
  const lines = markdown.split('\n');
  const blocks: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== RUNNABLE_MARKER) continue;
    const fence = /^(```+)\s*(sh|bash|shell|js|javascript|mjs|python|py)\s*$/.exec(lines[i + 1] ?? '');
    if (!fence) throw new Error(`README line ${i + 1}: ${RUNNABLE_MARKER} must be followed by a \`\`\`sh, \`\`\`js or \`\`\`python block.`);
    const end = lines.findIndex((text, index) => index > i + 1 && text.trim() === fence[1]);
    if (end === -1) throw new Error(`README line ${i + 2}: the block is not closed.`);
    const language = ['sh', 'bash', 'shell'].includes(fence[2] ?? '') ? 'sh' : ['python', 'py'].includes(fence[2] ?? '') ? 'python' : 'js';
    blocks.push({ line: i + 3, language, code: lines.slice(i + 2, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * The block as bash runs it in the test: errexit and pipefail, and every line that says which
 * exit code it ends with (`dvas can … # no, exit 5: …`) checked for that code instead of stopping
 * the block. The README's claim about the exit code is thereby tested too.
 */
export function asTestScript(block: RunnableBlock): string {
  const lines = block.code.split('\n');
  const body = lines
    .map((text, index) => {
      // The exit code in a comment on the command's line, or on the comment line right after it.
      const sameLine = /^(?<command>[^#]*\S)\s+#.*?\bexit (?<code>\d+)\b/.exec(text);
      const nextLine = /^\s*#.*?\bexit (?<code>\d+)\b/.exec(lines[index + 1] ?? '');
      const command = sameLine?.groups?.command ?? (/^\s*[^#\s]/.test(text) ? text : undefined);
      const code = sameLine?.groups?.code ?? nextLine?.groups?.code;
      // `exit 0` is what errexit checks already.
      if (command === undefined || code === undefined || code === '0') return text;
      const where = `README line ${block.line + index}`;
      return `if ${command}; then echo "${where}: exit 0, the README says exit ${code}" >&2; exit 1; else status=$?; [ "$status" -eq ${code} ] || { echo "${where}: exit $status, the README says exit ${code}" >&2; exit 1; }; fi`;
    })
    .join('\n');
  return `set -euo pipefail\n${body}\n`;
}
