/**
 * The N:N relationships the emulator stores, with the table on each side. "Left" is the side whose
 * id comes first in the association store; navigation properties on either side read it.
 */
export interface RelationshipDef {
  name: string;
  left: string;
  right: string;
}

export const RELATIONSHIPS: readonly RelationshipDef[] = [
  { name: 'systemuserroles_association', left: 'systemuser', right: 'role' },
  { name: 'teammembership_association', left: 'systemuser', right: 'team' },
  { name: 'teamroles_association', left: 'team', right: 'role' },
  { name: 'roleprivileges_association', left: 'role', right: 'privilege' },
];

export function relationship(name: string): RelationshipDef | undefined {
  return RELATIONSHIPS.find((candidate) => candidate.name === name);
}
