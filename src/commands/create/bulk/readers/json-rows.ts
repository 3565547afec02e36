import type { InputRow } from '../input-row.js';

/** The elements of a JSON array already parsed (a JSON file is read whole), as rows 1, 2, … */
export async function* jsonArrayRows(elements: readonly unknown[]): AsyncGenerator<InputRow> {
  for (let index = 0; index < elements.length; index++) yield { position: index + 1, ordinal: index + 1, value: elements[index] };
}
