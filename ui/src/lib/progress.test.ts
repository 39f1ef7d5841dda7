import { describe, expect, it } from 'vitest';
import type { WeekDelivery } from './backend';
import { NOT_MEASURED, trend, weekRows } from './progress';
import { dayLabel } from './progressCharts';

const w = (week: string, first: number | null, long: number | null): WeekDelivery => ({
  week, answers: 2, measured: first === null ? 0 : 2, mean_time_to_first_word_s: first, long_pauses_per_min: long, phonation_ratio: 0.8,
});

describe('progress', () => {
  it('formats week rows, with a dash when nothing was measured', () => {
    const rows = weekRows([w('2026-11-02', 2.25, 0.5), w('2026-11-09', null, null)]);
    expect(rows[0]).toEqual({
      week: '2026-11-02', label: dayLabel('2026-11-02', true), answers: 2, firstWord: '2.3 s', longPauses: '0.50', speaking: '80 %', missing: null,
    });
    expect(rows[1]?.firstWord).toBe('—');
    expect(rows[1]?.missing).toBe(NOT_MEASURED);
  });
  it('reports the change from the first to the last measured week', () => {
    const weeks = [w('a', 3, 1), w('b', null, null), w('c', 1.5, 1)];
    expect(trend(weeks, (x) => x.mean_time_to_first_word_s, 1, ' s')).toBe('−1.5 s');
    expect(trend(weeks, (x) => x.long_pauses_per_min, 2)).toBe('±0.00');
    expect(trend([w('a', 3, 1)], (x) => x.mean_time_to_first_word_s)).toBeNull();
  });
});
