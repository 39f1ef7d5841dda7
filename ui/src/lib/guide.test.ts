import { describe, expect, it } from 'vitest';
import type { RubricCriterion, RubricRedFlag } from './backend';
import { DISAGREE_WELL, FEELING, guideFrom, pickLevels } from './guide';

const crit = (key: string, levels = ['one', 'two', 'three', 'four', 'five']): RubricCriterion => ({
  key, name: `${key} name`, short: key, color: '#123456', scored_on: 'answer', definition: `${key} means`,
  checks: [], levels, guide: '',
});
const flag = (key: string, sounds_like = `“${key}” said`): RubricRedFlag => ({ key, label: `${key} label`, description: 'd', sounds_like });

describe('pickLevels', () => {
  it('picks what a 1, a 3 and a 5 sound like', () => {
    expect(pickLevels(['one', 'two', 'three', 'four', 'five'])).toEqual([
      { score: 1, text: 'one' },
      { score: 3, text: 'three' },
      { score: 5, text: 'five' },
    ]);
  });
  it('leaves out a level the rubric does not describe', () => {
    expect(pickLevels(['one', 'two', '  '])).toEqual([{ score: 1, text: 'one' }]);
    expect(pickLevels([])).toEqual([]);
  });
  it('takes other scores when asked', () => {
    expect(pickLevels(['a', 'b', 'c', 'd', 'e'], [2, 4])).toEqual([{ score: 2, text: 'b' }, { score: 4, text: 'd' }]);
  });
});

describe('guideFrom', () => {
  const rubric = {
    criteria: [crit('complexity'), crit('gaps'), crit('second_order'), crit('honesty'), crit(FEELING)],
    red_flags: [flag('performing_alignment'), flag('cliche_lesson', '  ')],
  };

  it('shows the four criteria in order, and the feelings check apart', () => {
    const g = guideFrom(rubric);
    expect(g.criteria.map((c) => c.key)).toEqual(['complexity', 'gaps', 'second_order', 'honesty']);
    expect(g.feeling?.key).toBe(FEELING);
    expect(g.criteria[0]).toMatchObject({ name: 'complexity name', definition: 'complexity means' });
    expect(g.criteria[0]?.anchors.map((a) => a.score)).toEqual([1, 3, 5]);
  });

  it('lists every red flag with what it sounds like (none when the rubric quotes nothing)', () => {
    const g = guideFrom(rubric);
    expect(g.flags).toEqual([
      { key: 'performing_alignment', label: 'performing_alignment label', soundsLike: '“performing_alignment” said' },
      { key: 'cliche_lesson', label: 'cliche_lesson label', soundsLike: '' },
    ]);
  });

  it('has no feelings check when the rubric has none', () => {
    expect(guideFrom({ criteria: [crit('complexity')], red_flags: [] }).feeling).toBeNull();
  });
});

describe('how to disagree well', () => {
  it('goes tension, consequences, gaps, then push-back', () => {
    expect(DISAGREE_WELL).toHaveLength(4);
    expect(DISAGREE_WELL[3]?.text).toMatch(/reason|argument/);
    for (const s of DISAGREE_WELL) expect(s.text).toMatch(/^[A-Z“].*[.]$/);
  });
});
