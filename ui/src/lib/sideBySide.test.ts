import { describe, expect, it } from 'vitest';
import type { HistoryTake, Rating } from './backend';
import { latestReview, markerLines, olderFirst, reviewNotes, scoreDeltas, togglePick } from './sideBySide';

const take = (id: string, q: string, at: string): HistoryTake => ({
  id,
  question_id: q,
  started_at: at,
  duration_ms: 3000,
  status: 'complete',
  review: 'reviewed',
  followups: 0,
  scores: [],
});

const rating = (scores: (number | null)[], savedAt = '2026-01-01', note = ''): Rating => ({
  id: `r${savedAt}`,
  draft: false,
  saved_at: savedAt,
  input: {
    take_id: 't',
    kind: 'reviewed',
    step: 0,
    scores: ['complexity', 'feeling'].map((criterion, i) => ({ criterion, score: scores[i] ?? null, note: i === 0 ? note : '', checks: [] })),
    red_flags: [],
    feelings: [],
    feelings_note: '',
    commitment: 'Slow down.',
  },
});

const criteria = [
  { key: 'complexity', short: 'Complexity' },
  { key: 'feeling', short: 'Feeling' },
];

describe('side by side', () => {
  it('picks at most two takes of the same question', () => {
    const a = take('a', 'q1', '1');
    const b = take('b', 'q1', '2');
    const c = take('c', 'q1', '3');
    const other = take('x', 'q2', '1');
    let p = togglePick([], a);
    p = togglePick(p, b);
    expect(p.map((t) => t.id)).toEqual(['a', 'b']);
    expect(togglePick(p, c).map((t) => t.id)).toEqual(['b', 'c']);
    expect(togglePick(p, a).map((t) => t.id)).toEqual(['b']);
    expect(togglePick(p, other).map((t) => t.id)).toEqual(['x']);
    expect(olderFirst(b, a).map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('computes per-criterion deltas from the older to the newer review', () => {
    const d = scoreDeltas(rating([2, 4]), rating([4, 3]), criteria);
    expect(d.map((x) => [x.label, x.older, x.newer, x.text])).toEqual([
      ['Complexity', 2, 4, '+2'],
      ['Feeling', 4, 3, '−1'],
    ]);
    expect(scoreDeltas(null, rating([3, 3]), criteria)[0]!.text).toBe('—');
    expect(scoreDeltas(rating([3, 3]), rating([3, 3]), criteria)[1]!.text).toBe('±0');
  });

  it('takes the latest saved review and lists its notes and markers', () => {
    const older = rating([1, 1], '2026-01-01');
    const newer = rating([5, 5], '2026-02-01', 'Named the tension.');
    const draft = { ...rating([2, 2], '2026-03-01'), draft: true };
    const immediate = { ...rating([3, 3], '2026-04-01'), input: { ...rating([3, 3]).input, kind: 'immediate' as const } };
    expect(latestReview([newer, older, draft, immediate])?.id).toBe(newer.id);
    expect(latestReview([])).toBeNull();
    expect(reviewNotes(newer, criteria)).toEqual([
      { label: 'Complexity', text: 'Named the tension.' },
      { label: 'Next time', text: 'Slow down.' },
    ]);
    const lines = markerLines(
      [
        { id: '2', take_id: 't', at_s: 72.4, tag: null, note: '' },
        { id: '1', take_id: 't', at_s: 3, tag: 'complexity', note: 'framework' },
      ],
      (tag) => (tag ? 'Complexity' : 'Marker'),
    );
    expect(lines).toEqual(['0:03 Complexity — framework', '1:12 Marker']);
  });
});
