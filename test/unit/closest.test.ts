import { describe, expect, it } from 'vitest';
import { closestMatches } from '../../src/help/closest.js';

describe('closestMatches (commander\'s rule for "Did you mean …?")', () => {
  it.each<[string, string, string[], string[]]>([
    ['a swap of two letters is one edit', 'prdo', ['dev', 'prod'], ['prod']],
    ['a missing letter', 'pro', ['dev', 'prod'], ['prod']],
    ['a letter too many', 'devv', ['dev', 'prod'], ['dev']],
    ['only the best distance', 'test1', ['test', 'test12', 'tset1x'], ['test', 'test12']],
    ['ties sorted', 'ab-x', ['ab-z', 'ab-y'], ['ab-y', 'ab-z']],
    ['nothing close: no guess', 'staging', ['dev', 'prod'], []],
    ['too little in common (40 % or less kept)', 'abc', ['xyc', 'yz'], []],
    ['never a one-letter name', 'a', ['b', 'ab'], ['ab']],
    ['no candidates', 'prod', [], []],
    ['a case slip', 'Prod', ['prod'], ['prod']],
  ])('%s', (_, word, candidates, expected) => {
    expect(closestMatches(word, candidates)).toEqual(expected);
  });
});
