import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Question, Round } from './backend';
import { CLOSING_QUESTION, FAREWELL, RoundSession, answered, briefing, conversation, opening, progressLabel, summarize, summaryLine, type RoundState } from './round';
import { fakeBackend, sampleTake } from './testing';

const q = (id: string): Question => ({
  id, prompt: id, category: 'rsp', category_name: 'RSP', category_blurb: '', reading: 'R', criteria: ['gaps'], pushbacks: ['Why?'],
});
const round: Round = { id: 'r1', questions: [q('a'), q('b')], length_s: 120 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RoundSession', () => {
  it('shows Question N of M and ends after the last, sending the round to review', async () => {
    const { backend } = fakeBackend();
    let s: RoundState | null = null;
    const r = new RoundSession(backend, round, (x) => (s = x), vi.fn());
    expect(progressLabel(s!)).toBe('Question 1 of 2');
    await r.next();
    expect(progressLabel(s!)).toBe('Question 2 of 2');
    expect(progressLabel({ index: 2, round: { ...s!.round, questions: [...s!.round.questions, { ...s!.round.questions[0]!, id: 'closing-your-question' }] } })).toBe(
      'Last: your question for the interviewer',
    );
    await r.next();
    expect(s!.ended).toBe(true);
    expect(backend.endRound).toHaveBeenCalledWith('r1');
  });

  it('counts the round clock down and, when time is up, ends after the current question', async () => {
    const { backend } = fakeBackend();
    let s: RoundState | null = null;
    let t = 0;
    const r = new RoundSession(backend, { ...round, length_s: 2 }, (x) => (s = x), vi.fn(), () => t);
    t = 1000;
    await vi.advanceTimersByTimeAsync(250);
    expect(s!.remainingS).toBe(1);
    t = 2500;
    await vi.advanceTimersByTimeAsync(250);
    expect(s!.timeUp).toBe(true);
    expect(s!.ended).toBe(false);
    await r.next();
    expect(s!.ended).toBe(true);
    expect(s!.index).toBe(0);
  });

  it('quitting mid-round ends it once; answers given so far are kept for review', async () => {
    const { backend } = fakeBackend();
    const r = new RoundSession(backend, round, vi.fn(), vi.fn());
    await r.end();
    await r.end();
    await r.next();
    expect(backend.endRound).toHaveBeenCalledTimes(1);
  });

  it('stops the clock while the person is away and runs on from the same place', async () => {
    const { backend } = fakeBackend();
    let s: RoundState | null = null;
    let t = 0;
    const r = new RoundSession(backend, { ...round, length_s: 100 }, (x) => (s = x), vi.fn(), () => t);
    t = 10_000;
    await vi.advanceTimersByTimeAsync(250);
    expect(s!.remainingS).toBe(90);
    r.pause();
    expect(s!.paused).toBe(true);
    t = 70_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(s!.remainingS).toBe(90);
    r.resume();
    expect(s!.paused).toBe(false);
    t = 75_000;
    await vi.advanceTimersByTimeAsync(250);
    expect(s!.remainingS).toBe(85);
    expect(r.usedS).toBe(15);
  });
});

describe('round words', () => {
  it('briefs the round from the settings', () => {
    const lines = briefing({ round_minutes: 45, round_questions: 5, target_min_s: 120, target_max_s: 180 });
    expect(lines[0]).toBe('5 questions from different categories, 45 minutes on one clock (about 9 min a question).');
    expect(lines.join(' ')).toContain('No pausing');
    expect(lines.join(' ')).toContain('up to twice');
    expect(lines.join(' ')).toContain('your own question for the interviewer');
  });

  it('summarises the answers and replies recorded in the round only', async () => {
    const takes = [
      sampleTake({ id: 'a2', question_id: 'a', round_id: 'r1', started_at: '2026-11-26T10:05:00Z' }),
      sampleTake({ id: 'old', question_id: 'a', round_id: null }),
      sampleTake({ id: 'rep', question_id: 'a', round_id: 'r1', parent_id: 'a2' }),
      sampleTake({ id: 'b1', question_id: 'b', round_id: 'r1', started_at: '2026-11-26T10:01:00Z' }),
    ];
    const { backend } = fakeBackend({ questionTakes: vi.fn(async (id: string) => takes.filter((t) => t.question_id === id)) });
    const s: RoundState = { round, index: 1, remainingS: 0, timeUp: false, paused: false, ended: true };
    const sum = await summarize(backend, s, 754);
    const { takes: kept, ...counts } = sum;
    expect(counts).toEqual({ reached: 2, planned: 2, askedOwn: false, answerIds: ['b1', 'a2'], replies: 1, usedS: 754 });
    expect(kept.map((t) => t.id).sort()).toEqual(['a2', 'b1', 'rep']);
    expect(summaryLine(sum)).toBe('2 of 2 questions answered in 12:34, with 1 reply to a push-back.');
  });

  it('says plainly when a round ended without an answer', () => {
    expect(summaryLine({ reached: 3, planned: 2, askedOwn: true, answerIds: ['a', 'b', 'c'], replies: 3, usedS: 60, takes: [] })).toBe(
      '2 of 2 questions answered in 1:00, with 3 replies to push-backs, and you asked your own question.',
    );
    // The figure beside it counts as the line does: the closing question is not one of the planned.
    expect(answered({ answerIds: ['a', 'b', 'c'], askedOwn: true })).toBe(2);
    expect(answered({ answerIds: ['a'], askedOwn: false })).toBe(1);
    expect(summaryLine({ reached: 1, planned: 5, askedOwn: false, answerIds: [], replies: 0, usedS: 42, takes: [] })).toBe(
      'You ended the round after 0:42 without recording an answer, so nothing waits for review.',
    );
  });

  it('greets before the first question, hands over before the others, and lets the closing one speak', () => {
    const withClosing: Round = { ...round, length_s: 600, questions: [q('a'), q('b'), q('c'), { ...q('x'), id: CLOSING_QUESTION }] };
    expect(opening(withClosing, 0)).toBe(
      'Hello, and thank you for making the time. We have 3 questions in 10 minutes, and I will press on your answers. Take a moment to think whenever you need one. Here is the first.',
    );
    expect(opening({ ...round, length_s: 60, questions: [q('a')] }, 0)).toContain('one question in one minute');
    expect(opening(withClosing, 1)).toBe('Thank you. Let us move on.');
    expect(opening(withClosing, 2)).toBe('Thank you. Next question.');
    expect(opening(withClosing, 3)).toBe('');
  });

  it('tells the round as a conversation, in the order it was spoken, with why each push-back came', () => {
    const takes = [
      sampleTake({ id: 'b1', question_id: 'b', round_id: 'r1', started_at: '2026-11-26T10:05:00Z' }),
      sampleTake({
        id: 'a1r2', question_id: 'a', round_id: 'r1', parent_id: 'a1', started_at: '2026-11-26T10:03:00Z',
        pushback: 'Second?', pushback_choice: { rule: 'question', reason: "it is one of the question's own push-backs" },
      }),
      sampleTake({ id: 'a1', question_id: 'a', round_id: 'r1', started_at: '2026-11-26T10:01:00Z' }),
      sampleTake({
        id: 'a1r1', question_id: 'a', round_id: 'r1', parent_id: 'a1', started_at: '2026-11-26T10:02:00Z',
        pushback: 'What do you not know?', pushback_choice: { rule: 'no_uncertainty', reason: 'the answer voiced no uncertainty' },
      }),
      sampleTake({ id: 'other', question_id: 'a', round_id: 'r0', started_at: '2026-11-26T09:00:00Z' }),
    ];
    const lines = conversation({ round, index: 1, ended: true }, takes);
    const told = lines.map((l) => (l.who === 'you' ? `you:${l.take.id}` : `${l.text}${l.reason ? ` (${l.reason})` : ''}`));
    expect(told).toEqual([
      opening(round, 0),
      'a',
      'you:a1',
      'What do you not know? (the answer voiced no uncertainty)',
      'you:a1r1',
      "Second? (it is one of the question's own push-backs)",
      'you:a1r2',
      opening(round, 1),
      'b',
      'you:b1',
      FAREWELL,
    ]);
    // Mid-round: only the questions reached, and no farewell yet.
    expect(conversation({ round, index: 0, ended: false }, takes).filter((l) => l.who === 'interviewer').map((l) => (l.who === 'interviewer' ? l.text : ''))).toEqual([
      opening(round, 0),
      'a',
      'What do you not know?',
      'Second?',
    ]);
  });
});
