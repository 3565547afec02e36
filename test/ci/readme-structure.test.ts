import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';

/**
 * The README is read from the top by someone who has never seen dvas (issue 11): what dvas is, the
 * two commands, the demo, then what they need in the order they need it, ending with the
 * benchmark figures and the dependencies. The order is part of the contract.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function headings(level: '##' | '###'): string[] {
  let fence = false;
  return README.split('\n').flatMap((line) => {
    if (line.startsWith('```')) fence = !fence;
    return !fence && line.startsWith(`${level} `) ? [line.slice(level.length + 1)] : [];
  });
}

describe('the README, from the top', () => {
  it('opens with the two commands a new user runs, then says what dvas is', () => {
    const [title, , fence, install, test, close, blank, paragraph] = README.split('\n');
    expect([title, fence, close, blank]).toEqual(['# dvas', '```sh', '```', '']);
    expect(install).toMatch(/^npm ci && npm run demo\s+#/);
    expect(test).toMatch(/^npm test\s+#/);
    expect(paragraph).toMatch(/^dvas runs Microsoft Dataverse/);
  });

  it('has its sections in the order a person needs them', () => {
    expect(headings('##')).toEqual([
      'Try it',
      'Connecting to a real environment',
      'Connection profiles',
      'Running as another user: `--as`',
      'Global options',
      'Commands',
      'Seeding data',
      'Output',
      'Exit codes',
      'Environment variables',
      'Troubleshooting a denial',
      'Retries',
      'Security',
      'The emulator',
      'The emulator in your own tests',
      'Benchmarks',
      'Dependencies',
      'Contributing',
    ]);
  });

  it('shows every command, each under a heading of its own or in its section', () => {
    const commandHeadings = headings('###').filter((heading) => heading.startsWith('`dvas '));
    for (const command of ['whoami', 'get', 'login', 'create', 'update', 'delete', 'associate', 'api', 'roles', 'can', 'who-can', 'compare', 'users', 'completion']) {
      expect(commandHeadings.some((heading) => heading.startsWith(`\`dvas ${command} `) || heading.startsWith(`\`dvas ${command}\``)), command).toBe(true);
    }
    for (const elsewhere of ['dvas profile add', 'dvas profile set', 'dvas emulator --profile demo', 'npm run demo']) expect(README).toContain(elsewhere);
  });
});
