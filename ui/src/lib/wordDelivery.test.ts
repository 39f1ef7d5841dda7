import { describe, expect, it } from 'vitest';
import { sampleTranscript } from './testing';
import { repeatLabel, tooShort, wordRows } from './wordDelivery';

describe('delivery from the words', () => {
  it('shows pace, fillers a minute and the longest stretch without one', () => {
    const t = sampleTranscript();
    t.delivery = { ...t.delivery, words: 290, fillers: 6, words_per_min: 145.4, fillers_per_min: 3.04, longest_without_filler_s: 41.2 };
    expect(wordRows(t).map((r) => [r.testId, r.value])).toEqual([
      ['words-per-min', '145'],
      ['fillers-per-min', '6 · 3.0 a minute'],
      ['longest-without-filler', '41.2 s'],
    ]);
    expect(tooShort(t)).toBe(false);
  });

  it('says when no filler was said, and leaves rates out of a short answer', () => {
    const t = sampleTranscript();
    expect(wordRows(t).map((r) => r.value)).toEqual(['—', '0 · — a minute', '0.9 s (none said)']);
    expect(tooShort(t)).toBe(true);
    expect(repeatLabel('you know', 4)).toBe('“you know” × 4');
  });
});
