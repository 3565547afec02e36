import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import type { LinkAction, LinkView } from './run.js';

const LINK_FIELDS = [
  { header: 'row', value: (view: LinkView) => view.row },
  { header: 'navigation', value: (view: LinkView) => view.navigation },
  { header: 'relatedRow', value: (view: LinkView) => view.relatedRow },
  { header: 'associated', value: (view: LinkView) => view.associated },
];

/** Declares `dvas associate` and `dvas disassociate`; the runner loads only when one runs. */
export function registerLinkCommands(program: Command, contextFor: ContextFactory): void {
  const declare = (action: LinkAction, description: string) =>
    program
      .command(action)
      .description(description)
      .argument('<table>', 'the first row\'s table: entity set name (systemusers) or logical name (systemuser)')
      .argument('<id>', "the first row's id (GUID), or an alternate key such as accountnumber='A-1'")
      .argument('<navigation>', 'a navigation property of the first table, e.g. teammembership_association')
      .argument('<related-table>', "the second row's table, the one the navigation property leads to")
      .argument('<related-id>', "the second row's id (GUID), or an alternate key")
      .action(async (table: string, id: string, navigation: string, relatedTable: string, relatedId: string, _flags: unknown, command: Command) => {
        const { runLink } = await import('./run.js');
        const ctx = contextFor(command);
        const view = await runLink(action, { table, id, navigation, relatedTable, relatedId }, ctx);
        ctx.output.record(view, LINK_FIELDS);
      });
  declare('associate', 'Link two rows through a navigation property ($ref), e.g. a user to a team (with --as, as that user).');
  declare('disassociate', 'Remove the link between two rows through a navigation property ($ref).');
}
