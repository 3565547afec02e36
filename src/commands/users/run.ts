import type { CliContext } from '../../context.js';
import { Annotation, GUID_PATTERN, MAX_PAGE_SIZE } from '../../dataverse/facts.js';
import { odataString } from '../../dataverse/odata.js';
import { UsageError } from '../../errors.js';
import { openSession } from '../../impersonation/session.js';
import { toUserRecord, USER_SELECT, type UserRecord } from '../../users/user-record.js';
import { quote } from '../../output/terminal-text.js';

export interface UsersFlags {
  pageSize?: string;
}

/**
 * `dvas users [search]`: the users whose name, email or domain name contains the search (or whose
 * systemuserid or Entra object id it is), every page of them, by name. This is where people find
 * the ids --as takes, and see who is disabled or an application user.
 */
export async function runUsers(search: string | undefined, flags: UsersFlags, ctx: CliContext): Promise<UserRecord[]> {
  const pageSize = parsePageSize(flags.pageSize);
  const session = await openSession(ctx);
  const filter = search === undefined || search.trim() === '' ? undefined : userSearchFilter(search.trim());
  const users = await ctx.withSpinner('Reading users…', async (spinner) => {
      const found: UserRecord[] = [];
      const pages = session.client.pages(
        'systemusers',
        { select: USER_SELECT, orderby: 'fullname', ...(filter ? { filter } : {}) },
        { all: true, annotations: Annotation.FormattedValue, ...(pageSize ? { maxPageSize: pageSize } : {}) },
      );
      for await (const page of pages) {
        found.push(...page.records.map(toUserRecord).filter((user): user is UserRecord => user !== undefined));
        spinner.update(`Reading users… ${found.length} so far`);
      }
      return found;
    });
  if (users.length === 0 && search !== undefined) ctx.messages.hint(`No user's name, email or domain name contains ${quote(search)}.`);
  return users;
}

/** `contains` on the three names people know a user by (case-insensitive in Dataverse); a GUID matches either id. */
function userSearchFilter(search: string): string {
  if (GUID_PATTERN.test(search)) return `systemuserid eq ${search} or azureactivedirectoryobjectid eq ${search}`;
  const literal = odataString(search);
  return ['fullname', 'internalemailaddress', 'domainname'].map((column) => `contains(${column},${literal})`).join(' or ');
}

function parsePageSize(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new UsageError(`--page-size must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${quote(raw)}.`);
  }
  return value;
}
