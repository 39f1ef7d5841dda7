import { describe, expect, it } from 'vitest';
import type { Rubric } from './backend';
import { exemplarsFor, isGood, kindLabel, type Exemplar } from './exemplars';

const ex = (category: string, kind: string): Exemplar => ({
  category,
  kind,
  title: `${category} ${kind}`,
  pushback: kind === 'strong' || kind === 'weak' ? '' : 'Why?',
  text: 't',
  why: 'w',
  evidence: ['strong', 'update', 'hold'].includes(kind) ? [{ criterion: 'gaps', quote: 't' }] : [],
  flags: ['strong', 'update', 'hold'].includes(kind) ? [] : [{ flag: 'confident_noise', quote: 't' }],
});

const rubric = {
  criteria: [],
  red_flags: [],
  feelings: [],
  exemplars: [ex('rsp', 'update'), ex('rsp', 'weak'), ex('rsp', 'strong'), ex('cv', 'strong'), ex('cv', 'weak'), ex('x', 'collapse'), ex('x', 'hold')],
} as unknown as Rubric;

describe('exemplars', () => {
  it('orders a category’s own: strong, weak, then replies', () => {
    expect(exemplarsFor(rubric, 'rsp').map((e) => e.kind)).toEqual(['strong', 'weak', 'update']);
  });

  it('borrows a good and a poor reply when the category has none of its own', () => {
    expect(exemplarsFor(rubric, 'cv').map((e) => `${e.category} ${e.kind}`)).toEqual(['cv strong', 'cv weak', 'rsp update', 'x collapse']);
    expect(exemplarsFor(rubric, 'none')).toEqual([]);
  });

  it('names kinds and tells good from poor', () => {
    expect(kindLabel('hold')).toBe('Reply: a good hold');
    expect(isGood(ex('rsp', 'strong'))).toBe(true);
    expect(isGood(ex('rsp', 'defensive'))).toBe(false);
  });
});
