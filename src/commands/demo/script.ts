import type { ExitCode } from '../../exit-codes.js';

/** What the tour needs to know about the served organisation to write its commands. */
export interface DemoPeople {
  /** Sam Sales's Entra object id. */
  samObjectId: string;
}

/** One command of the tour: what it shows, the arguments after `dvas`, and the exit code it must end with. */
export interface DemoStep {
  title: string;
  args: readonly string[] | ((people: DemoPeople) => readonly string[]);
  expect: ExitCode;
  /** Which sign-in runs it: the demo application user (the default), or Devon's device-code sign-in. */
  as?: 'devon';
}

export const SAM = 'sam.sales@contoso.com';
export const DEVON = 'devon.delegate@contoso.com';

/** The bulk step's rows: three users in one file, each row naming its own. */
const SEEDED_ROWS = [
  { '@as': SAM, name: 'Seeded by Sam' },
  { '@as': 'tess.team@contoso.com', name: 'Seeded by Tess' },
  { '@as': 'admin@contoso.com', name: 'Seeded by Alex' },
];

/**
 * The tour of `dvas demo`, in order: every step is a real dvas command run through the real
 * program against the embedded emulator. The failures are part of the story, and are expected.
 */
export const DEMO_STEPS: readonly DemoStep[] = [
  { title: 'Who is signed in? The demo application user, through msal against the emulator\'s Entra authority.', args: ['whoami'], expect: 0 },
  {
    title: 'Act as Sam Sales: dvas sends CallerObjectId and checks that Dataverse really ran the call as Sam.',
    args: ['whoami', '--as', SAM],
    expect: 0,
  },
  { title: 'The people you can act as, with the ids --as takes.', args: ['users'], expect: 0 },
  { title: 'Tess Team holds no role herself: Salesperson comes through the Sales Team.', args: ['roles', 'tess.team@contoso.com'], expect: 0 },
  {
    title: "Sam reads accounts with his own privileges: his business unit's (Contoso Sales), and one Alex shared with him.",
    args: ['get', 'accounts', '--as', SAM, '--select', 'name,_ownerid_value,_owningbusinessunit_value'],
    expect: 0,
  },
  {
    title: 'Create an account as Sam: createdby is Sam, createdonbehalfby the application that acted for him.',
    args: ['create', 'accounts', '--as', SAM, '--data', '{"name":"Created in the dvas demo"}'],
    expect: 0,
  },
  {
    title:
      'Seed rows as several users in one run: the @as column names each row\'s user. dvas checks every row and resolves every user before it sends the first, then sends one CreateMultiple per user.',
    args: ['create', 'accounts', '--data', JSON.stringify(SEEDED_ROWS)],
    expect: 0,
  },
  {
    title: "The proof, read back from Dataverse: each seeded row's createdby is its own user, and createdonbehalfby the application.",
    args: ['get', 'accounts', '--filter', "startswith(name,'Seeded by')", '--select', 'name', '--orderby', 'name', '--expand', 'createdby($select=fullname),createdonbehalfby($select=fullname)'],
    expect: 0,
  },
  {
    title:
      "Riley Reader may only read: creating as Riley fails. Under Dataverse's own error, dvas's diagnosis says who really lacks which privilege, and which roles grant it.",
    args: ['create', 'accounts', '--as', 'riley.reader@contoso.com', '--data', '{"name":"Not allowed"}'],
    expect: 5,
  },
  {
    title: 'Ask before doing: may the application, acting as Sam, create accounts? Yes, and dvas says through which roles.',
    args: ['can', 'create', 'accounts', '--as', SAM],
    expect: 0,
  },
  {
    title: 'And as Riley Reader? No (exit 5): Riley lacks prvCreateAccount, though the application holds it.',
    args: ['can', 'create', 'accounts', '--as', 'riley.reader@contoso.com'],
    expect: 5,
  },
  {
    title: 'Devon Delegate signs in himself (device code; the emulator approves it at once).',
    args: ['login'],
    expect: 0,
    as: 'devon',
  },
  {
    // By object id: Devon may not read users, so an email could not be looked up.
    title: 'Devon holds Delegate only through a team, which Dataverse does not count for acting as someone else.',
    args: (people) => ['whoami', '--as', `aad:${people.samObjectId}`],
    expect: 5,
    as: 'devon',
  },
];
