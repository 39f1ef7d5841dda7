import { describe, expect, it } from 'vitest';
import type { HistoryTake, QuestionHistory } from './backend';
import { fromHistory, MORE_PAGE, moreLabel, notShown, withPage } from './history';

const take = (id: string, q: string): HistoryTake => ({
  id,
  question_id: q,
  started_at: `2026-01-01T00:00:${id.padStart(2, '0')}.000Z`,
  duration_ms: 1000,
  status: 'complete',
  review: 'waiting',
  followups: 0,
  scores: [null, null, null, null, null],
});

const history = (q: string, answers: number, ids: string[]): QuestionHistory => ({
  question_id: q,
  answers,
  last_at: '2026-01-01T00:00:00.000Z',
  takes: ids.map((id) => take(id, q)),
});

describe('history pages', () => {
  it('keeps the backend order and counts what is not shown', () => {
    const g = fromHistory([history('q2', 7, ['9', '8']), history('q1', 1, ['1'])]);
    expect(g.map((x) => x.questionId)).toEqual(['q2', 'q1']);
    expect(notShown(g[0]!)).toBe(5);
    expect(moreLabel(g[0]!)).toBe('Show the other 5');
    expect(moreLabel(g[1]!)).toBeNull();
  });

  it('labels a long remainder by page', () => {
    const [g] = fromHistory([history('q', 100, ['1'])]);
    expect(moreLabel(g!)).toBe(`Show ${MORE_PAGE} more (99 not shown)`);
  });

  it('adds a page to one question only, without duplicates', () => {
    const g = fromHistory([history('q1', 4, ['4', '3']), history('q2', 3, ['5'])]);
    const next = withPage(g, 'q1', [take('3', 'q1'), take('2', 'q1'), take('1', 'q1')]);
    expect(next[0]!.answers.items.map((t) => t.id)).toEqual(['4', '3', '2', '1']);
    expect(notShown(next[0]!)).toBe(0);
    expect(next[1]).toBe(g[1]);
  });

  it('an empty page ends the question even if its count was stale', () => {
    const g = fromHistory([history('q1', 5, ['2', '1'])]);
    const next = withPage(g, 'q1', []);
    expect(next[0]!.answers.total).toBe(2);
    expect(moreLabel(next[0]!)).toBeNull();
  });
});
