import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandSurface } from './command-surface.js';

/**
 * The command and flag surface, as the Salesforce CLI keeps its command snapshot: a script that
 * calls dvas depends on command names, arguments, flags, defaults and choices, so any change to them
 * must be deliberate and visible in review. This test fails when the program (buildProgram) and the
 * stored snapshot (test/contract/command-surface.json) differ.
 *
 * Added or changed a command or a flag on purpose? Regenerate the snapshot and commit it with the
 * change:
 *
 *     npm run snapshot:update        (= UPDATE_SNAPSHOT=1 vitest run test/contract/command-surface.test.ts)
 *
 * A new command with -o json output also needs its JSON Schema: see test/contract/output-schemas.test.ts.
 */
const SNAPSHOT = new URL('./command-surface.json', import.meta.url);

describe('the command surface', () => {
  it('matches the stored snapshot (npm run snapshot:update after a deliberate change)', () => {
    const current = `${JSON.stringify(commandSurface(), null, 2)}\n`;
    if (process.env.UPDATE_SNAPSHOT === '1') writeFileSync(SNAPSHOT, current);
    const stored = readFileSync(SNAPSHOT, 'utf8');
    expect(
      JSON.parse(current),
      'The commands or flags differ from test/contract/command-surface.json. If the change is deliberate, run `npm run snapshot:update` and commit the snapshot with it.',
    ).toEqual(JSON.parse(stored));
    // Same data, same text: the stored file is exactly what the generator writes (no hand edits).
    expect(current).toBe(stored);
  });

  it('sees a flag change: the snapshot holds every flag, default and choice', () => {
    const surface = commandSurface();
    const get = surface.commands.find((command) => command.name === 'get');
    expect(get?.options.map((option) => option.flags)).toContain('--page-size <n>');
    const emulator = surface.commands.find((command) => command.name === 'emulator');
    expect(emulator?.options).toContainEqual({ flags: '--unknown-caller <mode>', value: 'required', mandatory: false, default: 'error', choices: ['error', 'ignore'] });
    expect(surface.commands.map((command) => command.name)).toContain('profile add');
    expect(surface.globalOptions.map((option) => option.flags)).toContain('--as <user>');
  });
});
