import { describe, expect, it, vi } from 'vitest';
import { BackendError, type LibraryEntry, type Rating, type Rubric, type TakeReview } from './backend';
import { fakeBackend, sampleTake } from './testing';
import { loadLists, loadMore, nextToReview, openAnswer, promptText, ratingKindLabel, reviewKey, scoreText, type KeyPress } from './review';
import { wizardSteps } from './wizard';

const take = (id: string, question_id = 'q1') => sampleTake({ id, question_id });

const entry = (id: string, prompt: string): LibraryEntry => ({
  question: { id, prompt, category: 'c', category_name: 'C', category_blurb: '', reading: 'r', criteria: [], pushbacks: [] },
  custom: false,
  hidden: false,
});

const rubric: Rubric = {
  criteria: [
    { key: 'complexity', name: 'Complexity', short: 'Complexity', color: '#000000', scored_on: 'answer', definition: '', checks: [], levels: [], guide: '' },
    { key: 'gaps', name: 'Gaps', short: 'Gaps', color: '#000000', scored_on: 'answer', definition: '', checks: [], levels: [], guide: '' },
  ],
  red_flags: [],
  feelings: [],
  exemplars: [],
};

const rating = (kind: Rating['input']['kind'], scores: (number | null)[]): Rating => ({
  id: `r-${kind}`,
  draft: false,
  saved_at: '2026-01-01',
  input: {
    take_id: 't',
    kind,
    step: 1,
    scores: ['complexity', 'gaps'].map((criterion, i) => ({ criterion, score: scores[i] ?? null, note: '', checks: [] })),
    red_flags: [],
    feelings: [],
    feelings_note: '',
    commitment: '',
  },
});

const press = (key: string, patch: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...patch,
});

describe('review lists', () => {
  it('loads the first page of both lists and the prompts once', async () => {
    const { backend } = fakeBackend({
      reviewQueue: vi.fn(async () => ({ total: 3, takes: [take('a'), take('b')] })),
      reviewedAnswers: vi.fn(async () => ({ total: 1, takes: [take('c', 'q2')] })),
      library: vi.fn(async () => [entry('q1', 'Why?'), entry('q2', 'How?')]),
    });
    const first = await loadLists(backend, new Map());
    expect(first.lists.queue).toEqual({ items: [take('a'), take('b')], total: 3 });
    expect(first.lists.reviewed.total).toBe(1);
    expect(promptText(first.prompts, 'q2')).toBe('How?');
    expect(backend.reviewQueue).toHaveBeenCalledWith(0, 50);

    const again = await loadLists(backend, first.prompts);
    expect(again.prompts).toBe(first.prompts);
    expect(backend.library).toHaveBeenCalledTimes(1);
  });

  it('adds the next page to the list asked for only', async () => {
    const { backend } = fakeBackend({
      reviewQueue: vi.fn(async () => ({ total: 3, takes: [take('c')] })),
    });
    const lists = { queue: { items: [take('a'), take('b')], total: 3 }, reviewed: { items: [take('x')], total: 1 } };
    const next = await loadMore(backend, lists, 'queue');
    expect(backend.reviewQueue).toHaveBeenCalledWith(2, 50);
    expect(next.queue.items.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(next.reviewed).toBe(lists.reviewed);
    expect(backend.reviewedAnswers).not.toHaveBeenCalled();
  });

  it('names a question that is gone', () => {
    expect(promptText(new Map(), 'q9')).toBe('A question no longer in your library');
  });
});

describe('opening an answer', () => {
  const review = { answer: take('t'), question: { criteria: ['complexity', 'feeling'] } } as unknown as TakeReview;

  it('to rate it: resumes the draft of that kind, fetching the rubric once', async () => {
    const draft = { ...rating('reviewed', [3, null]), draft: true };
    const { backend } = fakeBackend({
      takeReview: vi.fn(async () => review),
      takeAudio: vi.fn(async () => new ArrayBuffer(4)),
      rubric: vi.fn(async () => rubric),
      ratingDraft: vi.fn(async () => draft),
    });
    const o = await openAnswer(backend, 't', 'reviewed', null);
    expect(o.review).toBe(review);
    expect(o.audio?.byteLength).toBe(4);
    expect(o.rubric).toBe(rubric);
    expect(o.savedRatings).toEqual([]);
    expect(o.input?.step).toBe(1);
    expect(o.input?.take_id).toBe('t');
    expect(o.input?.scores.map((s) => s.score)).toEqual([3, null]);
    expect(backend.ratingDraft).toHaveBeenCalledWith('t', 'reviewed');

    await openAnswer(backend, 't', 'regrade', o.rubric);
    expect(backend.rubric).toHaveBeenCalledTimes(1);
    expect(backend.ratingDraft).toHaveBeenLastCalledWith('t', 'regrade');
  });

  it('to view it: its ratings and no rating in progress', async () => {
    const saved = [rating('reviewed', [2, 4])];
    const { backend } = fakeBackend({
      takeReview: vi.fn(async () => review),
      takeAudio: vi.fn(async () => new ArrayBuffer(4)),
      takeRatings: vi.fn(async () => saved),
    });
    const o = await openAnswer(backend, 't', 'view', rubric);
    expect(o.input).toBeNull();
    expect(o.savedRatings).toBe(saved);
    expect(backend.ratingDraft).not.toHaveBeenCalled();
  });

  it('whose audio was deleted: opens without it', async () => {
    const { backend } = fakeBackend({
      takeReview: vi.fn(async () => review),
      takeAudio: vi.fn(async () => {
        throw new BackendError({ code: 'NotFound', message: 'gone' });
      }),
    });
    expect((await openAnswer(backend, 't', 'view', rubric)).audio).toBeNull();
  });

  it('passes any other failure on (a damaged recording is shown by the caller)', async () => {
    const { backend } = fakeBackend({
      takeReview: vi.fn(async () => review),
      takeAudio: vi.fn(async () => {
        throw new BackendError({ code: 'DamagedTake', message: 'damaged' });
      }),
    });
    await expect(openAnswer(backend, 't', 'reviewed', rubric)).rejects.toMatchObject({ code: 'DamagedTake' });
  });
});

describe('review keys', () => {
  const [criterion, feelings] = wizardSteps({ ...rubric, criteria: rubric.criteria.slice(0, 1), feelings: [] });

  it('plays, seeks, marks and closes while viewing', () => {
    expect(reviewKey(press(' '), undefined)).toEqual({ kind: 'toggle' });
    expect(reviewKey(press('ArrowLeft'), undefined)).toEqual({ kind: 'seek', by: -5 });
    expect(reviewKey(press('ArrowRight'), undefined)).toEqual({ kind: 'seek', by: 5 });
    expect(reviewKey(press('M'), undefined)).toEqual({ kind: 'marker' });
    expect(reviewKey(press('Escape'), undefined)).toEqual({ kind: 'close' });
    expect(reviewKey(press('3'), undefined)).toBeNull();
  });

  it('gives a rating step its keys first; Shift leaves the arrows to the player', () => {
    expect(reviewKey(press('3'), criterion)).toEqual({ kind: 'score', score: 3 });
    expect(reviewKey(press('ArrowLeft'), criterion)).toEqual({ kind: 'back' });
    expect(reviewKey(press('ArrowLeft', { shiftKey: true }), criterion)).toEqual({ kind: 'seek', by: -5 });
    expect(reviewKey(press('Enter'), feelings)).toEqual({ kind: 'next' });
    expect(reviewKey(press('3'), feelings)).toBeNull();
    expect(reviewKey(press(' '), criterion)).toEqual({ kind: 'toggle' });
  });

  it('leaves keys typed into a field, or with Ctrl, Alt or Meta, alone', () => {
    expect(reviewKey(press('m', { targetTag: 'INPUT' }), undefined)).toBeNull();
    expect(reviewKey(press(' ', { targetTag: 'TEXTAREA' }), criterion)).toBeNull();
    expect(reviewKey(press('ArrowLeft', { targetTag: 'SELECT' }), undefined)).toBeNull();
    expect(reviewKey(press(' ', { targetTag: 'BUTTON' }), undefined)).toEqual({ kind: 'toggle' });
    expect(reviewKey(press('m', { ctrlKey: true }), undefined)).toBeNull();
    expect(reviewKey(press('ArrowRight', { altKey: true }), criterion)).toBeNull();
    expect(reviewKey(press('1', { metaKey: true }), criterion)).toBeNull();
  });
});

describe('rating words', () => {
  it('names each kind of rating', () => {
    expect(['reviewed', 'regrade', 'immediate'].map((k) => ratingKindLabel(k as Rating['input']['kind']))).toEqual([
      'Review',
      'Re-grade',
      'Right after',
    ]);
  });

  it('shows a score or a dash', () => {
    const r = rating('reviewed', [4, null]);
    expect(scoreText(r, 'complexity')).toBe('4');
    expect(scoreText(r, 'gaps')).toBe('—');
    expect(scoreText(r, 'honesty')).toBe('—');
  });
});

describe('the next answer to rate', () => {
  it("takes a round's answers in order first", async () => {
    const { backend } = fakeBackend();
    expect(await nextToReview(backend, ['b', 'c'], 'a')).toEqual({ id: 'b', upNext: ['c'] });
    expect(backend.reviewQueue).not.toHaveBeenCalled();
  });
  it('then the oldest answer still waiting, never the one just saved', async () => {
    const { backend } = fakeBackend({
      reviewQueue: vi.fn(async () => ({ total: 2, takes: [sampleTake({ id: 'a' }), sampleTake({ id: 'z' })] })),
    });
    expect(await nextToReview(backend, [], 'a')).toEqual({ id: 'z', upNext: [] });
  });
  it('is null when nothing else waits', async () => {
    const { backend } = fakeBackend();
    expect(await nextToReview(backend, ['a'], 'a')).toBeNull();
  });
});

describe('the feeling check as the question asks it', () => {
  it('is left out of the rating of a question that does not ask how you felt, and kept for one that does', async () => {
    const full = {
      ...rubric,
      criteria: [
        ...rubric.criteria,
        { key: 'feeling', name: 'Feeling', short: 'Feeling', color: '#000000', scored_on: 'answer', definition: '', checks: [], levels: [], guide: '' },
      ],
    };
    for (const [criteria, keys] of [
      [['complexity'], ['complexity', 'gaps']],
      [['complexity', 'feeling'], ['complexity', 'gaps', 'feeling']],
    ] as const) {
      const review = { answer: take('t'), question: { criteria } } as unknown as TakeReview;
      const { backend } = fakeBackend({ takeReview: vi.fn(async () => review), takeAudio: vi.fn(async () => new ArrayBuffer(4)) });
      const opened = await openAnswer(backend, 't', 'reviewed', full);
      expect(opened.rubric.criteria.map((c) => c.key)).toEqual(keys);
      expect(opened.input?.scores.map((s) => s.criterion)).toEqual(keys);
      expect(opened.fullRubric).toBe(full);
    }
  });
});
