import { deterministicGuid } from '../ids.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import { EMPTY_LABEL, label, managed } from './labels.js';

/**
 * The OptionSetMetadata of a choice (Picklist, State, Status) or yes/no (Boolean) column, in the
 * shape of Microsoft's examples (retrieve-metadata-name-metadataid, query-metadata-web-api): each
 * option with Value, Color, IsManaged, ExternalValue, ParentValues, Tag, IsHidden, MetadataId,
 * HasChanged, Label and Description; a Boolean's as TrueOption / FalseOption. State options also
 * carry DefaultStatus and InvariantName, Status options State: the emulator pairs status value v
 * with state v − 1 and state s with default status s + 1, which is how its tables declare them
 * (statecode 0 Active / 1 Inactive, statuscode 1 Active / 2 Inactive), unless the column declares
 * its own pairs (a system job's).
 */
export function optionSetMetadata(table: TableDef, attribute: AttributeDef): Record<string, unknown> | undefined {
  const name = `${table.logicalName}_${attribute.logicalName}`;
  const common = {
    Description: EMPTY_LABEL,
    DisplayName: label(attribute.displayName, `optionset:${name}`),
    IsCustomOptionSet: table.isCustomEntity,
    IsGlobal: false,
    IsManaged: !table.isCustomEntity,
    IsCustomizable: managed(true, 'iscustomizable', false),
    Name: name,
    ExternalTypeName: null,
    IntroducedVersion: '1.0',
    MetadataId: deterministicGuid(`optionset:${name}`),
    HasChanged: null,
  };
  if (attribute.type === 'Boolean') {
    const labels = attribute.options ?? { 0: 'No', 1: 'Yes' };
    return {
      TrueOption: option(name, 1, labels[1] ?? 'Yes', table),
      FalseOption: option(name, 0, labels[0] ?? 'No', table),
      ...common,
      OptionSetType: 'Boolean',
    };
  }
  if (attribute.type !== 'Picklist' && attribute.type !== 'State' && attribute.type !== 'Status') return undefined;
  const options = Object.entries(attribute.options ?? {}).map(([value, text]) => {
    const base = option(name, Number(value), text, table);
    const paired = attribute.statePairs?.[Number(value)];
    if (attribute.type === 'State') return { ...base, DefaultStatus: paired ?? Number(value) + 1, InvariantName: text };
    if (attribute.type === 'Status') return { ...base, State: paired ?? Math.max(Number(value) - 1, 0), TransitionData: null };
    return base;
  });
  return { Options: options, ...common, OptionSetType: attribute.type === 'Picklist' ? 'Picklist' : attribute.type };
}

function option(optionSetName: string, value: number, text: string, table: TableDef): Record<string, unknown> {
  return {
    Value: value,
    Color: null,
    IsManaged: !table.isCustomEntity,
    ExternalValue: null,
    ParentValues: [],
    Tag: null,
    IsHidden: false,
    MetadataId: null,
    HasChanged: null,
    Label: label(text, `option:${optionSetName}:${value}`),
    Description: EMPTY_LABEL,
  };
}

/** The properties OptionSetMetadata / BooleanOptionSetMetadata have, for `$expand=OptionSet($select=…)`. */
export function optionSetProperties(attribute: AttributeDef): readonly string[] {
  const shared = ['Description', 'DisplayName', 'IsCustomOptionSet', 'IsGlobal', 'IsManaged', 'IsCustomizable', 'Name', 'ExternalTypeName', 'IntroducedVersion', 'MetadataId', 'HasChanged', 'OptionSetType'];
  return attribute.type === 'Boolean' ? ['TrueOption', 'FalseOption', ...shared] : ['Options', ...shared];
}
