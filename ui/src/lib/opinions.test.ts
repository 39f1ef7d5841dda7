import { describe, expect, it } from 'vitest';
import type { Opinion, Rating } from './backend';
import {
  anchoredDraft,
  anchoredLine,
  anchoredToSave,
  checkWord,
  chooseAnchored,
  DISAGREE_AT,
  droppedOutcome,
  importedMessage,
  megabytes,
  opinionRows,
  pageSavedMessage,
  ratersSaid,
  roundToSend,
  roundWhat,
} from './opinions';

const criteria = [
  { key: 'complexity', short: 'Complexity', checks: ['c0', 'c1', 'c2'] },
  { key: 'gaps', short: 'Gaps', checks: ['g0', 'g1', 'g2'] },
  { key: 'second_order', short: 'Second order', checks: ['s0', 's1', 's2'] },
  { key: 'honesty', short: 'Honesty', checks: ['h0', 'h1', 'h2'] },
];

function rating(scores: Record<string, number | null>): Rating {
  return {
    id: 'r'.repeat(32),
    draft: false,
    saved_at: '2026-11-27T10:00:00Z',
    input: {
      take_id: 't'.repeat(32),
      kind: 'reviewed',
      step: 0,
      scores: Object.entries(scores).map(([criterion, score]) => ({ criterion, score, note: '', checks: [] })),
      red_flags: [],
      feelings: [],
      feelings_note: '',
      commitment: '',
    },
  };
}

function opinion(id: string, rater: string, scores: Record<string, number | null>, patch: Partial<Opinion> = {}): Opinion {
  return {
    id,
    take_id: 't'.repeat(32),
    rater,
    note: '',
    saved_at: '2026-11-28T09:00:00Z',
    imported_at: '2026-11-28T10:00:00Z',
    scores: Object.entries(scores).map(([criterion, score]) => ({ criterion, score, note: '', checks: [] })),
    red_flags: [],
    ...patch,
  };
}

describe('rating again with the examples in mind', () => {
  it('starts from what was kept, each criterion optional', () => {
    const d = anchoredDraft(criteria, [{ criterion: 'gaps', score: 4, note: 'The example named its unknowns.' }]);
    expect(d.gaps).toEqual({ score: 4, note: 'The example named its unknowns.' });
    expect(d.complexity).toEqual({ score: null, note: '' });
  });

  it('chooses a score, and clears it when chosen again', () => {
    let d = anchoredDraft(criteria, []);
    d = chooseAnchored(d, 'honesty', 3);
    expect(d.honesty?.score).toBe(3);
    d = chooseAnchored(d, 'honesty', 2);
    expect(d.honesty?.score).toBe(2);
    d = chooseAnchored(d, 'honesty', 2);
    expect(d.honesty?.score).toBeNull();
  });

  it('saves only the criteria given a score, in the rubric’s order, notes trimmed', () => {
    let d = anchoredDraft(criteria, []);
    d = chooseAnchored(d, 'second_order', 2);
    d = chooseAnchored(d, 'complexity', 4);
    d = { ...d, complexity: { score: 4, note: '  closer to the strong example  ' }, gaps: { score: null, note: 'no score, not kept' } };
    expect(anchoredToSave(criteria, d)).toEqual([
      { criterion: 'complexity', score: 4, note: 'closer to the strong example' },
      { criterion: 'second_order', score: 2, note: '' },
    ]);
    expect(anchoredToSave(criteria, anchoredDraft(criteria, []))).toEqual([]);
  });

  it('says the new score beside the first one', () => {
    expect(anchoredLine(3, 2)).toBe('With the examples in mind: 3 (was 2)');
    expect(anchoredLine(3, null)).toBe('With the examples in mind: 3');
  });
});

describe('the words of a second opinion', () => {
  it('says whose rating of how many answers was added', () => {
    expect(importedMessage({ rater: 'Sam', take_ids: ['a'] })).toBe('Sam’s rating of 1 answer was added.');
    expect(importedMessage({ rater: 'Ana María', take_ids: ['a', 'b', 'c'] })).toBe('Ana María’s ratings of 3 answers were added.');
    expect(importedMessage({ rater: '  ', take_ids: ['a'] })).toBe('A rater’s rating of 1 answer was added.');
  });

  it('says where the page went and how big it is', () => {
    expect(pageSavedMessage({ file_name: 'candor-second-opinion-2026-11-27.html', takes: 1, bytes: 2_400_000, audio_bytes: 1_800_000 })).toBe(
      'Saved candor-second-opinion-2026-11-27.html to Downloads (2.3 MB).',
    );
    expect(megabytes(8_115_000)).toBe('7.7 MB');
    expect(megabytes(31_000_000)).toBe('30 MB');
    expect(megabytes(20_000)).toBe('0.1 MB');
    expect(megabytes(null)).toBe('0.1 MB');
  });

  it('turns a file dropped on the window into its message or its error', () => {
    expect(droppedOutcome({ file_name: 'x.json', imported: { rater: 'Sam', take_ids: ['a'] }, error: null })).toEqual({
      text: 'Sam’s rating of 1 answer was added.',
    });
    const error = { code: 'BadOpinion' as const, message: 'No. Nothing was imported.', problems: [], fields: [] };
    expect(droppedOutcome({ file_name: 'x.json', imported: null, error })).toEqual({ error });
    expect(droppedOutcome({ file_name: 'x.json', imported: null, error: null })).toBeNull();
  });

  it('sends a round’s answers as one page only from one of its answers', () => {
    expect(roundToSend(['a', 'b', 'a', 'c'], 'b')).toEqual(['a', 'b', 'c']);
    expect(roundToSend(['a', 'b'], 'z')).toEqual([]);
    expect(roundToSend(undefined, 'a')).toEqual([]);
    expect(roundWhat(3)).toBe('the recordings of this round’s 3 answers');
    expect(roundWhat(1)).toBe('the recording of this round’s answer');
  });
});

describe('the comparison', () => {
  it('puts each score of a criterion side by side: the review, the re-rating, each rater', () => {
    const rows = opinionRows(
      criteria,
      rating({ complexity: 3, gaps: 3, second_order: 3, honesty: 3 }),
      [{ criterion: 'gaps', score: 4, note: ' more like the strong one ' }],
      [
        opinion('o1', 'Sam', { complexity: 3, gaps: 4, second_order: 3, honesty: 4 }),
        opinion('o2', 'Kim', { complexity: null, gaps: 3, second_order: 4, honesty: 3 }),
      ],
    );
    const gaps = rows.find((r) => r.criterion === 'gaps')!;
    expect(gaps.reviewed).toBe(3);
    expect(gaps.anchored).toBe(4);
    expect(gaps.anchoredNote).toBe('more like the strong one');
    expect(gaps.raters.map((r) => [r.rater, r.score])).toEqual([
      ['Sam', 4],
      ['Kim', 3],
    ]);
    expect(rows.find((r) => r.criterion === 'complexity')!.raters[1]!.score).toBeNull();
    // No two scores 2 apart: the rubric's order.
    expect(rows.map((r) => r.criterion)).toEqual(['complexity', 'gaps', 'second_order', 'honesty']);
    expect(rows.every((r) => !r.disagree)).toBe(true);
  });

  it(`puts criteria whose scores differ by ${DISAGREE_AT} or more first, the widest first, and marks them`, () => {
    const rows = opinionRows(
      criteria,
      rating({ complexity: 4, gaps: 2, second_order: 3, honesty: 5 }),
      [{ criterion: 'complexity', score: 2, note: '' }],
      [opinion('o1', 'Sam', { complexity: 3, gaps: 3, second_order: 3, honesty: 2 })],
    );
    expect(rows.map((r) => [r.criterion, r.disagree, r.spread])).toEqual([
      ['honesty', true, 3],
      ['complexity', true, 2],
      ['gaps', false, 1],
      ['second_order', false, 0],
    ]);
  });

  it('counts the re-rating against the review alone as a disagreement too', () => {
    const rows = opinionRows(criteria, rating({ complexity: 2 }), [{ criterion: 'complexity', score: 4, note: '' }], []);
    expect(rows[0]).toMatchObject({ criterion: 'complexity', disagree: true, spread: 2 });
    expect(rows.find((r) => r.criterion === 'gaps')).toMatchObject({ reviewed: null, spread: null, disagree: false });
  });

  it('gives each rater’s checks in the rubric’s words, and leaves out a check it does not have', () => {
    const o = opinion('o1', 'Sam', {}, {
      scores: [
        {
          criterion: 'gaps',
          score: 2,
          note: ' missed the obvious unknown ',
          checks: [
            { index: 0, answer: 'yes' },
            { index: 2, answer: 'partly' },
            { index: 9, answer: 'no' },
          ],
        },
      ],
    });
    const [row] = opinionRows(criteria.slice(1, 2), null, [], [o]);
    expect(row!.raters[0]).toEqual({
      id: 'o1',
      rater: 'Sam',
      score: 2,
      note: 'missed the obvious unknown',
      checks: [
        { text: 'g0', answer: 'yes' },
        { text: 'g2', answer: 'partly' },
      ],
    });
    expect(checkWord('partly')).toBe('Partly');
  });

  it('names each rater’s red flags and keeps their overall note', () => {
    const said = ratersSaid(
      [opinion('o1', 'Sam', {}, { red_flags: ['blame', 'unknown-flag'], note: ' Clear, but you never said what you would do differently. ' })],
      [{ key: 'blame', label: 'Blames others' }],
    );
    expect(said).toEqual([
      {
        id: 'o1',
        rater: 'Sam',
        savedAt: '2026-11-28T09:00:00Z',
        flags: ['Blames others', 'unknown-flag'],
        note: 'Clear, but you never said what you would do differently.',
      },
    ]);
  });
});
