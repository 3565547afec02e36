import type { Command } from 'commander';

/**
 * Two to four examples per command, shown at the end of its `--help`. Kept here, by command path,
 * so that a test checks them all against the program (every command has some, every flag in them
 * exists): help that shows a flag dvas does not take would teach the wrong thing.
 */
export const COMMAND_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  whoami: ['dvas whoami', 'dvas whoami --as sam.sales@contoso.com', 'dvas whoami -p prod -o json'],
  get: [
    'dvas get accounts --select name,accountnumber --top 5',
    "dvas get accounts --filter \"statecode eq 0\" --all -o csv > accounts.csv",
    'dvas get accounts <account-id> --as sam.sales@contoso.com',
    'dvas get contacts --fetchxml query.xml',
  ],
  create: [
    "dvas create accounts --data '{\"name\":\"Fabrikam\"}' --as sam.sales@contoso.com",
    'dvas create contacts --file contacts.csv --report run.ndjson',
    'dvas create accounts --file rows.ndjson --as-column owner_email --concurrency 8',
  ],
  update: [
    "dvas update accounts <account-id> --data '{\"telephone1\":\"555-0100\"}'",
    "dvas update accounts \"accountnumber='ACC-002'\" --data '{\"name\":\"Fabrikam\"}' --upsert",
    "dvas update accounts <account-id> --data '{\"name\":\"B\"}' --if-match 'W/\"1234\"' --as sam.sales@contoso.com",
  ],
  delete: ['dvas delete accounts <account-id>', 'dvas delete accounts <account-id> --yes --as sam.sales@contoso.com'],
  associate: [
    'dvas associate teams <team-id> teammembership_association systemusers <user-id>',
    'dvas associate contacts <contact-id> parentcustomerid_account accounts <account-id>',
  ],
  disassociate: [
    'dvas disassociate teams <team-id> teammembership_association systemusers <user-id>',
    'dvas disassociate contacts <contact-id> parentcustomerid_account accounts <account-id>',
  ],
  api: ['dvas api GET WhoAmI', "dvas api GET 'accounts?$top=2' --include", "dvas api POST accounts --data '{\"name\":\"A\"}' -H 'Prefer: return=representation' --as sam.sales@contoso.com"],
  roles: ['dvas roles sam.sales@contoso.com', 'dvas roles sam.sales@contoso.com --privileges --table account', 'dvas roles --as sam.sales@contoso.com --effective'],
  can: ['dvas can read account --as sam.sales@contoso.com', 'dvas can write account --record <account-id> --as riley.reader@contoso.com'],
  'who-can': ['dvas who-can read account', 'dvas who-can delete account --record <account-id>'],
  compare: ['dvas compare accounts sam.sales@contoso.com tess.team@contoso.com', 'dvas compare accounts sam.sales@contoso.com --select name --top 20'],
  users: ['dvas users', 'dvas users sam', 'dvas users contoso.com --page-size 50 -o json'],
  profile: ['dvas profile add prod --url https://contoso.crm.dynamics.com --auth device-code', 'dvas profile list', 'dvas profile use prod'],
  'profile add': [
    'dvas profile add prod --url https://contoso.crm.dynamics.com --auth device-code --default',
    'dvas profile add ci --url https://contoso.crm.dynamics.com --auth client-secret --tenant contoso.onmicrosoft.com --client-id <app-id>',
    'dvas profile add s2s --url https://contoso.crm.dynamics.com --certificate app.crt.pem --key app.key.pem --client-id <app-id>',
  ],
  'profile set': [
    'dvas profile set prod --tenant contoso.onmicrosoft.com',
    'dvas profile set ci --auth certificate --certificate app.crt.pem --key app.key.pem',
    'dvas profile set prod --url https://contoso-new.crm.dynamics.com -o json',
  ],
  'profile list': ['dvas profile list', 'dvas profile list -o json'],
  'profile show': ['dvas profile show prod', 'dvas profile show prod -o json'],
  'profile use': ['dvas profile use prod', 'dvas profile use emulator'],
  'profile remove': ['dvas profile remove old', 'dvas profile remove ci -o json'],
  completion: ['source <(dvas completion bash)', 'dvas completion zsh > "${fpath[1]}/_dvas"', 'dvas completion fish > ~/.config/fish/completions/dvas.fish', 'dvas completion powershell | Out-String | Invoke-Expression'],
  login: ['dvas login', 'dvas login -p prod'],
  logout: ['dvas logout', 'dvas logout -p prod'],
  emulator: ['dvas emulator --json --port 8080 &', 'dvas emulator --state org.json --seed seed.json', 'dvas emulator --https --json', 'dvas emulator --faults throttle=0.1,seed=42 -p emulator'],
  demo: ['dvas demo', 'NO_COLOR=1 dvas demo'],
};

/** The command's path below `dvas`, e.g. `profile add`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/**
 * Ends every command's help with its examples and one line about the global options, which the
 * root help lists in full (repeating them under every command buried the command's own).
 */
export function addExamplesToHelp(program: Command): void {
  const visit = (command: Command): void => {
    for (const sub of command.commands) {
      if (sub.name() === 'help') continue;
      const examples = COMMAND_EXAMPLES[commandPath(sub)] ?? [];
      sub.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n\nGlobal options (-p/--profile, --as, -o/--output, --verbose, --dry-run…): see dvas --help.`);
      visit(sub);
    }
  };
  visit(program);
}
