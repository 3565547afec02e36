import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { EMPTY_SNAPSHOT, parseProfilesDocument, profilesJsonSchema, toDocument, type ProfilesDocument, type ProfilesSnapshot } from './schema.js';
import type { ProfileStore } from './store.js';
import { configFileError } from '../config/file-problems.js';
import { quote } from '../output/terminal-text.js';

const FILE_NAME = 'profiles.json';

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

/**
 * Profiles in `<config dir>/profiles.json`. Reading is a plain JSON parse checked by schema.ts:
 * every data command reads its profile, and conf with its schema compiler costs ~180 ms to load
 * (measured on Node 20), more than the whole request it serves. Writing goes through conf, for its
 * atomic replace, the 0600 file mode and a second, JSON-Schema check of what is written.
 */
export class FileProfileStore implements ProfileStore {
  readonly location: string;

  constructor(private readonly directory: string) {
    this.location = join(directory, FILE_NAME);
  }

  async read(): Promise<ProfilesSnapshot> {
    let text: string;
    try {
      text = readFileSync(this.location, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return EMPTY_SNAPSHOT;
      throw configFileError('the profiles file', this.location, error) ?? new ConfigError(`dvas cannot read the profiles file ${quote(this.location)}.`, { cause: error });
    }
    return parseProfilesDocument(
      text,
      (problem) =>
        new ConfigError(`The profiles file ${this.location} ${problem}.`, {
          hint: 'Fix the file by hand, or delete it and add the profiles again; dvas never rewrites a file it cannot read.',
        }),
    );
  }

  async update(change: (current: ProfilesSnapshot) => ProfilesSnapshot): Promise<ProfilesSnapshot> {
    const next = change(await this.read());
    const document = toDocument(next);
    // Never save what the next run could not read back (a caller building a Profile by hand with a
    // relative path, say): that would lock the user out of every command until they fix the file.
    parseProfilesDocument(JSON.stringify(document), (problem) => new Error(`Refusing to save profiles that would not read back: the document ${problem}.`));
    // conf would create the directory with the default 0755; profiles say which environments and
    // accounts a person uses, so only they may list them.
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw configFileError('the profiles file', this.location, error) ?? error;
    }
    const { default: Conf } = await import('conf');
    const conf = new Conf<ProfilesDocument>({
      cwd: this.directory,
      configName: 'profiles',
      projectSuffix: '',
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      schema: profilesJsonSchema(),
      rootSchema: { additionalProperties: false },
    });
    conf.store = document;
    return next;
  }
}
