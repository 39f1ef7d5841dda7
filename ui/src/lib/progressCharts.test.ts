import { describe, expect, it } from 'vitest';
import type { CriterionCalibration, WeekCalibration, WeekScores } from './backend';
import {
  calendarLabels,
  calendarLength,
  calendarWeeks,
  calibrationChart,
  criteriaChart,
  criterionGapChart,
  criterionGapTable,
  dayLabel,
  dayTitle,
  drawAs,
  fmt,
  fmtGap,
  gapAxis,
  gapChart,
  hasCriterionGaps,
  practiceChart,
  tableRows,
  weakestSummary,
  valueTicks,
  weekLabels,
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
    expect(d.labels).toEqual(weekLabels(['2026-01-05', '2026-01-12']));
    expect(d.labels.some((l) => /\d{4}-\d{2}-\d{2}/.test(l))).toBe(false);
    expect(d.series.map((s) => [s.label, s.color, s.values])).toEqual([
      ['Complexity', '#111111', [3, null]],
      ['Feeling', '#222222', [2, null]],
    ]);
    expect(tableRows(d, (v) => fmt(v))).toEqual([
      { label: `Week of ${dayLabel('2026-01-05', true)}`, cells: ['3.0', '2.0'] },
      { label: `Week of ${dayLabel('2026-01-12', true)}`, cells: ['—', '—'] },
    ]);
  });

  it('counts practice and reviews per week', () => {
    const d = practiceChart([week('2026-01-05', 4, 3, 3, 2)]);
    expect(d.series.map((s) => s.values)).toEqual([[4], [3]]);
  });

  it('puts quick, reviewed and re-grade scores side by side, and the gaps on an axis of their own', () => {
    const weeks: WeekCalibration[] = [
      { week: '2026-01-05', immediate: 3.5, reviewed: 3, regrade: null, immediate_gap: 0.5, regrade_gap: null, counts: [2, 2, 0] },
      { week: '2026-01-12', immediate: 2, reviewed: 4, regrade: 3.5, immediate_gap: -2, regrade_gap: -0.5, counts: [1, 1, 1] },
    ];
    const d = calibrationChart(weeks);
    expect(d.series.map((s) => s.values[0])).toEqual([3.5, 3, null]);
    const g = gapChart(weeks);
    expect(g.series.map((s) => s.values)).toEqual([[0.5, -2], [null, -0.5]]);
    expect(gapAxis(g)).toEqual({ min: -2, max: 2 });
    expect(gapAxis(gapChart([weeks[0]!]))).toEqual({ min: -1, max: 1 });
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

describe('chart words and ticks', () => {
  it('labels weeks with local dates, the year only where it changes or is not this year', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(dayLabel('2026-01-05', false, 'en-GB')).toBe('5 Jan');
    expect(dayLabel('2026-01-05', true, 'en-GB')).toBe('5 Jan 2026');
    expect(weekLabels(['2026-01-05', '2026-01-12'], now, 'en-GB')).toEqual(['5 Jan', '12 Jan']);
    expect(weekLabels(['2025-12-22', '2025-12-29', '2026-01-05'], now, 'en-GB')).toEqual(['22 Dec 2025', '29 Dec', '5 Jan 2026']);
    expect(dayLabel('not a day')).toBe('not a day');
  });

  it('ticks counts at whole numbers from 0, scores and gaps at the step given', () => {
    expect(valueTicks({ integer: true })).toEqual({ precision: 0, beginAtZero: true });
    expect(valueTicks({ step: 1 })).toEqual({ stepSize: 1 });
    expect(valueTicks({ step: 0.5 })).toEqual({ stepSize: 0.5 });
    expect(valueTicks({})).toEqual({});
  });

  it('draws one or two weeks as bars, so no point hides another', () => {
    expect(drawAs('line', 1)).toBe('bar');
    expect(drawAs('line', 2)).toBe('bar');
    expect(drawAs('line', 3)).toBe('line');
    expect(drawAs('bar', 8)).toBe('bar');
  });

  it('labels the calendar with months over their first week and weekdays down the side', () => {
    // Four weeks ending with the week of Wednesday 2026-02-04: 2026-02-01 falls in the third column.
    const grid = calendarWeeks([], '2026-02-04', 4);
    const { months, weekdays } = calendarLabels(grid, 'en-GB');
    expect(grid[0]![0]!.day).toBe('2026-01-12');
    expect(months).toEqual([
      { col: 0, label: 'Jan' },
      { col: 2, label: 'Feb' },
    ]);
    expect(weekdays).toEqual(['Mon', '', 'Wed', '', 'Fri', '', '']);
    expect(dayTitle('2026-01-06', 2, 'en-GB')).toBe('Tue, 6 Jan 2026: 2 answers');
    expect(dayTitle('2026-01-07', 0, 'en-GB')).toBe('Wed, 7 Jan 2026: no answers');
  });
});

describe('how your reviews compare, criterion by criterion', () => {
  const rows: CriterionCalibration[] = [
    // The feeling check first, as core might send it: drawn in the rubric's order all the same.
    { criterion: 'feeling', reviewed: null, anchored_gap: null, regrade_gap: null, outside_gap: null, counts: [0, 0, 0, 0] },
    { criterion: 'complexity', reviewed: 2.75, anchored_gap: 0.5, regrade_gap: -0.25, outside_gap: 1.5, counts: [4, 2, 4, 1] },
  ];

  it('draws each criterion’s three gaps side by side, in the rubric’s order, gaps as null', () => {
    const d = criterionGapChart(rows, criteria);
    expect(d.labels).toEqual(['Complexity', 'Feeling']);
    expect(d.series.map((s) => [s.key, s.values])).toEqual([
      ['anchored_gap', [0.5, null]],
      ['regrade_gap', [-0.25, null]],
      ['outside_gap', [1.5, null]],
    ]);
    expect(d.series.map((s) => s.label)).toEqual(['With the examples in mind − review', 'Blind re-grade − review', 'Outside raters − review']);
  });

  it('gives the numbers with how many answers each rests on, and a dash where none', () => {
    const t = criterionGapTable(rows, criteria);
    expect(t.head).toEqual([
      'Your reviews (answers)',
      'With the examples in mind − review (answers)',
      'Blind re-grade − review (answers)',
      'Outside raters − review (answers)',
    ]);
    expect(t.rows).toEqual([
      { label: 'Complexity', cells: ['2.8 (4)', '+0.5 (2)', '−0.3 (4)', '+1.5 (1)'] },
      { label: 'Feeling', cells: ['—', '—', '—', '—'] },
    ]);
  });

  it('has nothing to draw until an answer was rated again some way', () => {
    expect(hasCriterionGaps(rows)).toBe(true);
    expect(hasCriterionGaps([rows[0]!, { ...rows[1]!, anchored_gap: null, regrade_gap: null, outside_gap: null }])).toBe(false);
    expect(hasCriterionGaps([])).toBe(false);
  });
});
