import { describe, expect, it } from 'vitest';
import type { WeekScores } from './backend';
import {
  calendarLength,
  calendarWeeks,
  calibrationChart,
  criteriaChart,
  fmt,
  fmtGap,
  practiceChart,
  tableRows,
  weakestSummary,
  type CriterionInfo,
} from './progressCharts';

const criteria: CriterionInfo[] = [
  { key: 'complexity', short: 'Complexity', color: '#111111', checks: ['c0'] },
  { key: 'feeling', short: 'Feeling', color: '#222222', checks: ['f0', 'f1', 'f2'] },
];

const week = (w: string, answers: number, reviewed: number, c: number | null, f: number | null): WeekScores => ({
  week: w,
  answers,
  reviewed,
  criteria: [
    { criterion: 'complexity', mean: c, scored: c === null ? 0 : 1 },
    { criterion: 'feeling', mean: f, scored: f === null ? 0 : 1 },
  ],
});

describe('progress charts', () => {
  it('gives one series per criterion with a point per week, gaps as null', () => {
    const d = criteriaChart([week('2026-01-05', 2, 2, 3, 2), week('2026-01-12', 1, 0, null, null)], criteria);
    expect(d.labels).toEqual(['2026-01-05', '2026-01-12']);
    expect(d.series.map((s) => [s.label, s.color, s.values])).toEqual([
      ['Complexity', '#111111', [3, null]],
      ['Feeling', '#222222', [2, null]],
    ]);
    expect(tableRows(d, (v) => fmt(v))).toEqual([
      { label: '2026-01-05', cells: ['3.0', '2.0'] },
      { label: '2026-01-12', cells: ['—', '—'] },
    ]);
  });

  it('counts practice and reviews per week', () => {
    const d = practiceChart([week('2026-01-05', 4, 3, 3, 2)]);
    expect(d.series.map((s) => s.values)).toEqual([[4], [3]]);
  });

  it('puts quick, reviewed, re-grade and the gap side by side', () => {
    const d = calibrationChart([
      { week: '2026-01-05', immediate: 3.5, reviewed: 3, regrade: null, immediate_gap: 0.5, regrade_gap: null, counts: [2, 2, 0] },
    ]);
    expect(d.series.map((s) => s.values[0])).toEqual([3.5, 3, null, 0.5]);
    expect(fmtGap(0.5)).toBe('+0.5');
    expect(fmtGap(-0.24)).toBe('−0.2');
    expect(fmtGap(0.01)).toBe('±0.0');
    expect(fmtGap(null)).toBe('—');
  });

  it('names the weakest criterion and its checks most often answered no', () => {
    const s = weakestSummary(
      { criterion: 'feeling', mean: 2, all: [], checks_no: [{ index: 1, no: 2, answered: 3 }, { index: 0, no: 1, answered: 1 }, { index: 2, no: 1, answered: 2 }, { index: 3, no: 1, answered: 1 }] },
      criteria,
    );
    expect(s.name).toBe('Feeling');
    expect(s.mean).toBe('2.0');
    expect(s.checks.map((c) => c.text)).toEqual(['f1', 'f0', 'f2']);
  });

  it('lays the calendar out in Monday-first weeks ending with this week', () => {
    // 2026-01-14 is a Wednesday.
    const cal = calendarWeeks([{ day: '2026-01-06', answers: 2 }, { day: '2026-01-14', answers: 1 }], '2026-01-14', 2);
    expect(cal.length).toBe(2);
    expect(cal[0]![0]!.day).toBe('2026-01-05');
    expect(cal[0]![1]).toEqual({ day: '2026-01-06', answers: 2, future: false });
    expect(cal[1]![2]).toEqual({ day: '2026-01-14', answers: 1, future: false });
    expect(cal[1]![3]!.future).toBe(true);
    expect(calendarLength('four_weeks', [], '2026-01-14')).toBe(4);
    expect(calendarLength('all_time', [{ day: '2025-01-01', answers: 1 }], '2026-01-14')).toBe(55);
  });
});
