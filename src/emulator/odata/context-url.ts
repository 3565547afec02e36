import type { QueryPlan } from './query-plan.js';

/**
 * The select list of an `@odata.context` URL, as the service writes it: the $select names as sent,
 * then each expanded navigation property with its own list in parentheses
 * (`name,primarycontactid(fullname),Account_Tasks(subject)`); `nav()` when it selects nothing.
 */
export function selectExpandList(plan: QueryPlan): string {
  const parts: string[] = [...(plan.select?.names ?? [])];
  for (const item of plan.expand) parts.push(`${item.navigation.name}(${selectExpandList(item.plan)})`);
  return parts.join(',');
}

/** `{root}$metadata#accounts(name,accountid)`, or `…#accounts` without a select list. */
export function collectionContext(serviceRoot: string, entitySetName: string, plan: QueryPlan): string {
  const list = selectExpandList(plan);
  return `${serviceRoot}$metadata#${entitySetName}${list ? `(${list})` : ''}`;
}

/** `{root}$metadata#accounts(name,accountid)/$entity`, or `…#accounts/$entity`. */
export function entityContext(serviceRoot: string, entitySetName: string, plan: QueryPlan): string {
  return `${collectionContext(serviceRoot, entitySetName, plan)}/$entity`;
}
