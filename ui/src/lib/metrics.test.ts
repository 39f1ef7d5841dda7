import { describe, expect, it } from 'vitest';
import type { Metrics } from './backend';
import { clampTime, metricRows, nextSpeed, seconds } from './metrics';

const m = {
  duration_s: 75.25, speaking_s: 60.5, phonation_ratio: 0.84, time_to_first_word_s: 1.8,
  pauses: [{ start_s: 10, end_s: 12.5 }, { start_s: 30, end_s: 30.4 }], long_pauses: [{ start_s: 10, end_s: 12.5 }],
  mean_pause_s: 1.45, longest_pause_s: 2.5, pauses_per_min: 1.7, long_pauses_per_min: 0.85, peaks: [],
  measurement: {
    frame_s: 0.01, noise_floor_db: -60, speech_level_db: -15, threshold_db: -46.5, noise_percentile: 10,
    speech_percentile: 95, threshold_fraction: 0.3, min_pause_s: 0.25, long_pause_s: 2,
  },
} as unknown as Metrics;

describe('metrics', () => {
  it('formats seconds plainly', () => {
    expect(seconds(1.84)).toBe('1.8 s');
    expect(seconds(75.25)).toBe('1:15.3');
    expect(seconds(null)).toBe('—');
  });
  it('lists the rows with counts and rates', () => {
    const rows = metricRows(m);
    expect(rows.find((r) => r.testId === 'metric-pauses')?.value).toBe('2 · 1.7 a minute');
    expect(rows.find((r) => r.testId === 'metric-first-word')?.value).toBe('1.8 s');
    expect(rows.find((r) => r.testId === 'metric-phonation')?.value).toBe('84 %');
  });
  it('keeps seeks inside the take and cycles speeds', () => {
    expect(clampTime(-3, 10)).toBe(0);
    expect(clampTime(12, 10)).toBe(10);
    expect(nextSpeed(1)).toBe(1.25);
    expect(nextSpeed(1.5)).toBe(1);
  });
});
