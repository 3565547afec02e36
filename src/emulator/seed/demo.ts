import { DEMO_CERTIFICATE_PEM } from './demo-certificate.js';
import type { SeedDocument, SeedDepth } from './types.js';

/** The demo application user's credentials: public on purpose, this organisation exists only in the emulator. */
export const DEMO_APP = {
  clientId: '8c3a7f3e-5d1b-4c1e-9a61-2f0d4c3b7a10',
  clientSecret: 'dvas-demo-secret',
  email: 'dvas-demo-app@contoso.com',
} as const;

const TABLE_VERBS = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign', 'Share'] as const;
const ALL_TABLES = ['Account', 'Contact', 'Task', 'User', 'Team', 'BusinessUnit', 'Role', 'AsyncOperation', 'BulkDeleteOperation'];

function privileges(entries: Array<[string, SeedDepth]>): Record<string, SeedDepth> {
  return Object.fromEntries(entries);
}

function everything(): Record<string, SeedDepth> {
  const entries: Array<[string, SeedDepth]> = [];
  for (const table of ALL_TABLES) {
    for (const verb of TABLE_VERBS) {
      const orgOwnedOrBusiness = ['User', 'Team', 'BusinessUnit', 'Role', 'BulkDeleteOperation'].includes(table);
      // Business-owned tables (and bulkdeleteoperation, owned by no one) have no Assign/Share privileges.
      if (orgOwnedOrBusiness && (verb === 'Share' || verb === 'Assign')) continue;
      entries.push([`prv${verb}${table}`, 'Global']);
    }
  }
  entries.push(['prvReadOrganization', 'Global'], ['prvWriteOrganization', 'Global']);
  entries.push(['prvActOnBehalfOfAnotherUser', 'Global'], ['prvBypassCustomPlugins', 'Global'], ['prvReadAuditSummary', 'Global']);
  entries.push(['prvBulkDelete', 'Global'], ['prvBypassCustomBusinessLogic', 'Global']);
  return privileges(entries);
}

/**
 * The demo organisation (issue #2): tenant "Contoso", a root and a child business unit, an
 * application user that may impersonate, and one user per situation dvas must handle (admin,
 * business-unit salesperson, read-only, team-only roles, Delegate only through a team, disabled,
 * no roles, on-premises without an Entra object id, roles both directly and through a team). Ids are derived from names, so they are the
 * same on every start.
 */
export function demoSeed(): SeedDocument {
  return {
    organization: { name: 'Contoso' },
    businessUnits: [{ name: 'Contoso' }, { name: 'Contoso Sales', parent: 'Contoso' }],
    roles: [
      { name: 'System Administrator', privileges: everything() },
      { name: 'Delegate', privileges: { prvActOnBehalfOfAnotherUser: 'Global' } },
      {
        name: 'dvas Integration',
        privileges: privileges([
          ...(['Account', 'Contact', 'Task'] as const).flatMap((table): Array<[string, SeedDepth]> => [
            [`prvCreate${table}`, 'Global'],
            [`prvRead${table}`, 'Global'],
            [`prvWrite${table}`, 'Global'],
            // Binding lookups on create (a contact's company) needs Append/AppendTo.
            [`prvAppend${table}`, 'Global'],
            [`prvAppendTo${table}`, 'Global'],
          ]),
          ['prvReadUser', 'Global'],
          ['prvReadTeam', 'Global'],
          ['prvReadRole', 'Global'],
          ['prvReadBusinessUnit', 'Global'],
          ['prvReadOrganization', 'Global'],
        ]),
      },
      {
        name: 'Salesperson',
        privileges: privileges([
          ['prvCreateAccount', 'Basic'],
          ['prvReadAccount', 'Local'],
          ['prvWriteAccount', 'Basic'],
          ['prvAppendAccount', 'Basic'],
          ['prvAppendToAccount', 'Basic'],
          ['prvCreateContact', 'Basic'],
          ['prvReadContact', 'Local'],
          ['prvWriteContact', 'Basic'],
          ['prvAppendContact', 'Basic'],
          ['prvAppendToContact', 'Basic'],
          ['prvReadUser', 'Global'],
        ]),
      },
      {
        name: 'Reader',
        privileges: privileges([
          ['prvReadAccount', 'Global'],
          ['prvReadContact', 'Global'],
        ]),
      },
      {
        name: 'Account Manager',
        privileges: privileges(
          (['Account', 'Contact', 'Task'] as const).flatMap((table): Array<[string, SeedDepth]> => [
            [`prvCreate${table}`, 'Global'],
            [`prvRead${table}`, 'Global'],
            [`prvWrite${table}`, 'Global'],
            [`prvAppend${table}`, 'Global'],
            [`prvAppendTo${table}`, 'Global'],
          ]),
        ),
      },
    ],
    users: [
      {
        fullname: 'dvas demo app',
        email: DEMO_APP.email,
        domainname: `app-${DEMO_APP.clientId}@contoso.com`,
        roles: ['Delegate', 'dvas Integration'],
        application: {
          clientId: DEMO_APP.clientId,
          clientSecret: DEMO_APP.clientSecret,
          certificate: DEMO_CERTIFICATE_PEM,
          federatedSubjects: ['repo:contoso/dvas-demo:ref:refs/heads/main', 'system:serviceaccount:default:dvas'],
        },
      },
      { fullname: 'Alex Admin', email: 'admin@contoso.com', roles: ['System Administrator'], title: 'Administrator' },
      { fullname: 'Sam Sales', email: 'sam.sales@contoso.com', businessUnit: 'Contoso Sales', roles: ['Salesperson'] },
      { fullname: 'Riley Reader', email: 'riley.reader@contoso.com', roles: ['Reader'] },
      { fullname: 'Tess Team', email: 'tess.team@contoso.com', businessUnit: 'Contoso Sales' },
      { fullname: 'Devon Delegate', email: 'devon.delegate@contoso.com', roles: ['Account Manager'] },
      { fullname: 'Dana Disabled', email: 'dana.disabled@contoso.com', roles: ['Salesperson'], disabled: true },
      { fullname: 'Nora NoRoles', email: 'nora.noroles@contoso.com' },
      { fullname: 'Owen OnPrem', email: 'owen.onprem@contoso.com', domainname: 'CONTOSO\\owen', objectId: null, roles: ['Salesperson'] },
      // Roles from two places (Salesperson directly, dvas Integration and Delegate through a team):
      // the deepest depth wins, and Delegate through a team does not let her act as anyone.
      { fullname: 'Morgan Multi', email: 'morgan.multi@contoso.com', businessUnit: 'Contoso Sales', roles: ['Salesperson'] },
    ],
    teams: [
      { name: 'Sales Team', businessUnit: 'Contoso Sales', members: ['tess.team@contoso.com'], roles: ['Salesperson'] },
      { name: 'Delegates', members: ['devon.delegate@contoso.com'], roles: ['Delegate'] },
      { name: 'Auditors', members: ['morgan.multi@contoso.com'], roles: ['dvas Integration', 'Delegate'] },
    ],
    // As real organisations do: account rows are named by their account number (README: dvas get accounts "accountnumber='ACC-002'").
    keys: [{ table: 'account', name: 'AccountNumberKey', displayName: 'Account Number', columns: ['accountnumber'] }],
    rows: {
      account: [
        { name: 'Fourth Coffee', $owner: 'admin@contoso.com', accountnumber: 'ACC-001', address1_city: 'Seattle', revenue: 1200000, industrycode: 33, accountcategorycode: 1, customertypecode: 3 },
        { name: 'Contoso Pharmaceuticals', $owner: 'admin@contoso.com', accountnumber: 'ACC-002', address1_city: 'Redmond', numberofemployees: 420, accountcategorycode: 2, customertypecode: 5 },
        { name: 'Litware, Inc.', $owner: 'sam.sales@contoso.com', accountnumber: 'ACC-003', address1_city: 'Dallas', industrycode: 7, customertypecode: 8 },
        { name: 'Adventure Works', $owner: 'sam.sales@contoso.com', accountnumber: 'ACC-004', address1_city: 'Santa Cruz', revenue: 5400000 },
        { name: 'Fabrikam, Inc.', $owner: 'tess.team@contoso.com', accountnumber: 'ACC-005', address1_city: 'Lynnwood' },
        { name: "Alpine Ski House", $owner: 'Sales Team', accountnumber: 'ACC-006', address1_city: 'Denver', creditonhold: true },
        { name: 'Blue Yonder Airlines', $owner: 'owen.onprem@contoso.com', accountnumber: 'ACC-007', address1_city: 'Los Angeles' },
        { name: 'City Power & Light', $owner: 'devon.delegate@contoso.com', accountnumber: 'ACC-008', address1_city: 'Redmond' },
        { name: 'Coho Winery', $owner: DEMO_APP.email, accountnumber: 'ACC-009', address1_city: 'Napa' },
        { name: "O'Brien Logistics", $owner: 'riley.reader@contoso.com', accountnumber: 'ACC-010', address1_city: 'Boston' },
      ],
      contact: [
        { firstname: 'Nancy', lastname: 'Anderson', $owner: 'admin@contoso.com', emailaddress1: 'nancy@fourthcoffee.com', preferredcontactmethodcode: 2, parentcustomerid: { table: 'account', name: 'Fourth Coffee' } },
        { firstname: 'Yvonne', lastname: 'McKay', $owner: 'sam.sales@contoso.com', emailaddress1: 'yvonne@litware.com', preferredcontactmethodcode: 3, donotemail: true, parentcustomerid: { table: 'account', name: 'Litware, Inc.' } },
        { firstname: 'Susanna', lastname: 'Stubberod', $owner: 'sam.sales@contoso.com', emailaddress1: 'susanna@adventure-works.com', parentcustomerid: { table: 'account', name: 'Adventure Works' } },
        { firstname: 'Maria', lastname: 'Campbell', $owner: 'tess.team@contoso.com', emailaddress1: 'maria@fabrikam.com', parentcustomerid: { table: 'account', name: 'Fabrikam, Inc.' } },
        { firstname: 'Sidney', lastname: 'Higa', $owner: 'devon.delegate@contoso.com', emailaddress1: 'sidney@cpandl.com', parentcustomerid: { table: 'account', name: 'City Power & Light' } },
        { firstname: 'Scott', lastname: 'Konersmann', $owner: 'owen.onprem@contoso.com', emailaddress1: 'scott@blueyonder.com' },
        { firstname: 'Rene', lastname: 'Valdes', $owner: 'Sales Team', emailaddress1: 'rene@alpineskihouse.com', parentcustomerid: { table: 'account', name: 'Alpine Ski House' } },
        { firstname: 'Paul', lastname: 'Cannon', $owner: DEMO_APP.email, emailaddress1: 'paul@cohowinery.com', parentcustomerid: { table: 'account', name: 'Coho Winery' } },
      ],
      task: [
        { subject: 'Call Fourth Coffee about renewal', $owner: 'admin@contoso.com', prioritycode: 2, regardingobjectid: { table: 'account', name: 'Fourth Coffee' } },
        { subject: 'Send Litware the proposal', $owner: 'sam.sales@contoso.com', prioritycode: 1, regardingobjectid: { table: 'account', name: 'Litware, Inc.' } },
      ],
    },
    // Alex shares one account of the root business unit with Sam: beyond his Local depth, reachable only through the share.
    shares: [{ table: 'account', name: 'Contoso Pharmaceuticals', with: 'sam.sales@contoso.com', rights: ['ReadAccess', 'WriteAccess'] }],
  };
}
