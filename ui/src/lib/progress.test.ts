import { describe, expect, it } from 'vitest';
import type { WeekDelivery } from './backend';
import { NOT_MEASURED, trend, weekRows } from './progress';
import { dayLabel } from './progressCharts';

const w = (week: string, first: number | null, long: number | null): WeekDelivery => ({
  week, answers: 2, measured: first === null ? 0 : 2, mean_time_to_first_word_s: first, long_pauses_per_min: long, phonation_ratio: 0.8,
  transcribed: 0, words_per_min: null, fillers_per_min: null, longest_without_filler_s: null, uncertainty_voiced: 0,
});

describe('progress', () => {
  it('formats week rows, with a dash when nothing was measured', () => {
    const rows = weekRows([w('2026-11-02', 2.25, 0.5), w('2026-11-09', null, null)]);
    expect(rows[0]).toEqual({
      week: '2026-11-02', label: dayLabel('2026-11-02', true), answers: 2, firstWord: '2.3 s', longPauses: '0.50', speaking: '80 %', missing: null,
      wordsPerMin: '—', fillersPerMin: '—', longestWithoutFiller: '—', uncertainty: '—',
    });
    expect(rows[1]?.firstWord).toBe('—');
    expect(rows[1]?.missing).toBe(NOT_MEASURED);
  });
  it('adds the figures read from the words once a week has transcripts; no uncertainty voiced is a 0, not a dash', () => {
    const heard = { ...w('2026-11-16', 2, 0.5), transcribed: 2, words_per_min: 142.6, fillers_per_min: 3.25, longest_without_filler_s: 38.4, uncertainty_voiced: 0 };
    const [row] = weekRows([heard]);
    expect([row?.wordsPerMin, row?.fillersPerMin, row?.longestWithoutFiller, row?.uncertainty]).toEqual(['143', '3.3', '38 s', '0']);
  });
  it('reports the change from the first to the last measured week', () => {
    const weeks = [w('a', 3, 1), w('b', null, null), w('c', 1.5, 1)];
    expect(trend(weeks, (x) => x.mean_time_to_first_word_s, 1, ' s')).toBe('−1.5 s');
    expect(trend(weeks, (x) => x.long_pauses_per_min, 2)).toBe('±0.00');
    expect(trend([w('a', 3, 1)], (x) => x.mean_time_to_first_word_s)).toBeNull();
  });
});
