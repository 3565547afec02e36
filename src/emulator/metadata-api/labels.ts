import { deterministicGuid } from '../ids.js';

/**
 * Dataverse's Label complex type: every localized label plus the one in the user's language
 * (1033), as query-metadata-web-api shows it
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api).
 */
export function label(text: string, seed: string): Record<string, unknown> {
  const localized = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: deterministicGuid(`label:${seed}`), HasChanged: null };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

/** A Label with no text: `{"LocalizedLabels":[],"UserLocalizedLabel":null}` (an option's Description in the docs). */
export const EMPTY_LABEL: Readonly<Record<string, unknown>> = Object.freeze({ LocalizedLabels: [], UserLocalizedLabel: null });

/** BooleanManagedProperty: `{"Value":true,"CanBeChanged":false,"ManagedPropertyLogicalName":"iscustomizable"}`. */
export interface ManagedProperty {
  Value: boolean | string;
  CanBeChanged: boolean;
  ManagedPropertyLogicalName: string;
}

export function managed(value: boolean | string, logicalName: string, canBeChanged = true): ManagedProperty {
  return { Value: value, CanBeChanged: canBeChanged, ManagedPropertyLogicalName: logicalName };
}
