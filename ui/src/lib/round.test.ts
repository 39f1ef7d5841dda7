import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Question, Round } from './backend';
import { RoundSession, progressLabel, type RoundState } from './round';
import { fakeBackend } from './testing';

const q = (id: string): Question => ({
  id, prompt: id, category: 'rsp', category_name: 'RSP', reading: 'R', criteria: ['gaps'], pushbacks: ['Why?'],
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
});
