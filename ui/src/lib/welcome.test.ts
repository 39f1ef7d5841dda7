import { describe, expect, it } from 'vitest';
import type { RubricCriterion } from './backend';
import { READING_SOURCES, anchorText, criterionAnchors, dismissWelcome, readingSource, readings, showWelcome, welcomeDismissed } from './welcome';

function memory(): { getItem(k: string): string | null; setItem(k: string, v: string): void } {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

const crit = (key: string): RubricCriterion => ({
  key, name: `${key} name`, short: key, color: '#123456', scored_on: 'answer', definition: 'd',
  checks: [], levels: ['one', 'two', 'three', 'four', 'five'], guide: '',
});

describe('the welcome', () => {
  it('shows before the first answer until dismissed, and stays dismissed', () => {
    const store = memory();
    expect(showWelcome(0, store)).toBe(true);
    expect(showWelcome(3, store)).toBe(false);
    dismissWelcome(store);
    expect(welcomeDismissed(store)).toBe(true);
    expect(showWelcome(0, store)).toBe(false);
  });

  it("takes each criterion's 1, 3 and 5 from the rubric", () => {
    const [c] = criterionAnchors([crit('gaps')]);
    expect(c?.anchors).toEqual([
      { score: 1, text: 'one' },
      { score: 3, text: 'three' },
      { score: 5, text: 'five' },
    ]);
    expect(anchorText(crit('gaps'), 4)).toBe('4 — four');
  });

  it('names every reading once, with where to find it', () => {
    const r = readings([
      { name: 'RSP', reading: 'Responsible Scaling Policy' },
      { name: 'A', reading: 'Contestable positions' },
      { name: 'B', reading: 'Contestable positions' },
    ]);
    expect(r.map((x) => [x.reading, x.topics.length])).toEqual([
      ['Responsible Scaling Policy', 1],
      ['Contestable positions', 2],
    ]);
    expect(r[0]?.where).toBe(READING_SOURCES['Responsible Scaling Policy']);
    expect(readingSource('My own notes')).toMatch(/named yourself/);
  });
});
