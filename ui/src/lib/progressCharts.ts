// Shapes the progress overview into chart series and the text tables that carry the same numbers.
import type { CheckTally, CriterionCalibration, PracticeDay, WeekCalibration, WeekScores, Weakest } from './backend';

/** The parts of a rubric criterion the charts need. */
export interface CriterionInfo {
  key: string;
  short: string;
  color: string;
  checks: string[];
}

/** One line (or bar set) of a chart. */
export interface Series {
  key: string;
  label: string;
  color: string;
  values: (number | null)[];
}

/**
 * What a chart draws, and what its table lists: one label per week (short, for the axis), the
 * same weeks in full (for the table and tooltips), one row per series.
 */
export interface ChartData {
  labels: string[];
  /** "Week of 5 Jan 2026": the table's first column and the tooltip's title. */
  titles: string[];
  series: Series[];
}

const DAY_MS_ = 86_400_000;

/** A `YYYY-MM-DD` day as a person reads it in their language ("5 Jan", or "5 Jan 2026"). */
export function dayLabel(day: string, withYear = false, locale?: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) return day;
  return new Date(t).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });
}

/**
 * Axis labels for weeks (`YYYY-MM-DD`, their Mondays): the day and month, with the year where it
 * is not this year's and differs from the label before (so a span over New Year says so once).
 */
export function weekLabels(weeks: readonly string[], now: Date = new Date(), locale?: string): string[] {
  const thisYear = String(now.getUTCFullYear());
  return weeks.map((w, i) => {
    const year = w.slice(0, 4);
    const before = i > 0 ? weeks[i - 1]!.slice(0, 4) : thisYear;
    return dayLabel(w, year !== before, locale);
  });
}

/** "Week of 5 Jan 2026". */
export function weekTitle(week: string, locale?: string): string {
  return `Week of ${dayLabel(week, true, locale)}`;
}

function weekAxis(weeks: readonly { week: string }[]): Pick<ChartData, 'labels' | 'titles'> {
  const ws = weeks.map((w) => w.week);
  return { labels: weekLabels(ws), titles: ws.map((w) => weekTitle(w)) };
}

/** Lines need a few weeks to show a trend; with one or two weeks, bars side by side hide nothing. */
export function drawAs(kind: 'line' | 'bar', weeks: number): 'line' | 'bar' {
  return kind === 'line' && weeks < 3 ? 'bar' : kind;
}

/** "3.4", or "—" when there is no value. */
export function fmt(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** A signed gap: "+0.5", "−0.2", "±0.0", or "—". */
export function fmtGap(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const r = Number(v.toFixed(digits));
  const sign = r > 0 ? '+' : r < 0 ? '−' : '±';
  return `${sign}${Math.abs(r).toFixed(digits)}`;
}

/** Weekly mean review score per criterion (all of the rubric's criteria, in its order). */
export function criteriaChart(weeks: WeekScores[], criteria: CriterionInfo[]): ChartData {
  return {
    ...weekAxis(weeks),
    series: criteria.map((c) => ({
      key: c.key,
      label: c.short,
      color: c.color,
      values: weeks.map((w) => w.criteria.find((m) => m.criterion === c.key)?.mean ?? null),
    })),
  };
}

/** Answers and reviewed answers per week (colours from the theme). */
export function practiceChart(weeks: WeekScores[]): ChartData {
  return {
    ...weekAxis(weeks),
    series: [
      { key: 'answers', label: 'Answers', color: 'var(--chart-1)', values: weeks.map((w) => w.answers) },
      { key: 'reviewed', label: 'Reviewed', color: 'var(--chart-2)', values: weeks.map((w) => w.reviewed) },
    ],
  };
}

/** Quick, reviewed and blind re-grade overall scores per week (1 to 5). */
export function calibrationChart(weeks: WeekCalibration[]): ChartData {
  return {
    ...weekAxis(weeks),
    series: [
      { key: 'immediate', label: 'Right after', color: '#d98c1f', values: weeks.map((w) => w.immediate) },
      { key: 'reviewed', label: 'On review', color: 'var(--chart-1)', values: weeks.map((w) => w.reviewed) },
      { key: 'regrade', label: 'Blind re-grade', color: '#7a4fb5', values: weeks.map((w) => w.regrade) },
    ],
  };
}

/**
 * The gaps, on an axis of their own (a difference, not a score): right after minus on review,
 * and blind re-grade minus on review.
 */
export function gapChart(weeks: WeekCalibration[]): ChartData {
  return {
    ...weekAxis(weeks),
    series: [
      { key: 'gap', label: 'Right after − on review', color: 'var(--rec)', values: weeks.map((w) => w.immediate_gap) },
      { key: 'regrade_gap', label: 'Blind re-grade − on review', color: '#7a4fb5', values: weeks.map((w) => w.regrade_gap) },
    ],
  };
}

/** The three ways an answer is rated again, each beside the review of the same answers. */
const AGAIN = [
  { key: 'anchored_gap', label: 'With the examples in mind − review', head: 'With the examples in mind', color: '#2e8b57', count: 1 },
  { key: 'regrade_gap', label: 'Blind re-grade − review', head: 'Blind re-grade', color: '#7a4fb5', count: 2 },
  { key: 'outside_gap', label: 'Outside raters − review', head: 'Outside raters', color: '#d98c1f', count: 3 },
] as const;

/** The criteria of the rubric that have a row, in the rubric's order. */
function calibrated(rows: readonly CriterionCalibration[], criteria: readonly CriterionInfo[]): { c: CriterionInfo; r: CriterionCalibration }[] {
  return criteria.flatMap((c) => {
    const r = rows.find((x) => x.criterion === c.key);
    return r ? [{ c, r }] : [];
  });
}

/** Whether any answer was rated again in any of the three ways (else there is nothing to draw). */
export function hasCriterionGaps(rows: readonly CriterionCalibration[]): boolean {
  return rows.some((r) => AGAIN.some((a) => r[a.key] !== null && Number.isFinite(r[a.key])));
}

/**
 * Per criterion (one bar group each): the mean gap between your review and the same answers
 * rated with the examples in mind, blind later, and by outside raters.
 */
export function criterionGapChart(rows: readonly CriterionCalibration[], criteria: readonly CriterionInfo[]): ChartData {
  const shown = calibrated(rows, criteria);
  return {
    labels: shown.map(({ c }) => c.short),
    titles: shown.map(({ c }) => c.short),
    series: AGAIN.map((a) => ({ key: a.key, label: a.label, color: a.color, values: shown.map(({ r }) => r[a.key]) })),
  };
}

/** A figure and how many answers it rests on: "+0.5 (3)"; a dash when there are none. */
function withCount(text: string, n: number): string {
  return text === '—' || n === 0 ? '—' : `${text} (${n})`;
}

/**
 * The numbers of that chart: per criterion, the review's mean, then each gap, each with the
 * number of answers it rests on.
 */
export function criterionGapTable(
  rows: readonly CriterionCalibration[],
  criteria: readonly CriterionInfo[],
): { head: string[]; rows: { label: string; cells: string[] }[] } {
  return {
    head: ['Your reviews (answers)', ...AGAIN.map((a) => `${a.head} − review (answers)`)],
    rows: calibrated(rows, criteria).map(({ c, r }) => ({
      label: c.short,
      cells: [withCount(fmt(r.reviewed), r.counts[0]), ...AGAIN.map((a) => withCount(fmtGap(r[a.key]), r.counts[a.count]))],
    })),
  };
}

/** The gap axis: symmetric around 0, at least ±1, whole or half steps. */
export function gapAxis(data: ChartData): { min: number; max: number } {
  const all = data.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const m = Math.max(1, ...all.map((v) => Math.abs(v)));
  const r = Math.ceil(m * 2) / 2;
  return { min: -r, max: r };
}

/** The table under a chart: one row per week (its full title), one cell per series. */
export function tableRows(data: ChartData, format: (v: number | null, key: string) => string): { label: string; cells: string[] }[] {
  return data.titles.map((label, i) => ({
    label,
    cells: data.series.map((s) => format(s.values[i] ?? null, s.key)),
  }));
}

/** The weakest criterion in words: its name, mean, and its checks most often answered "no". */
export function weakestSummary(
  weakest: Weakest,
  criteria: CriterionInfo[],
  limit = 3,
): { key: string; name: string; mean: string; checks: { text: string; no: number; answered: number }[] } {
  const c = criteria.find((k) => k.key === weakest.criterion);
  return {
    key: weakest.criterion,
    name: c?.short ?? weakest.criterion,
    mean: fmt(weakest.mean),
    checks: weakest.checks_no.slice(0, limit).map((t: CheckTally) => ({
      text: c?.checks[t.index] ?? `Check ${t.index + 1}`,
      no: t.no,
      answered: t.answered,
    })),
  };
}

const DAY_MS = DAY_MS_;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A calendar of the last `weeks` weeks ending with the week of `today` (YYYY-MM-DD, UTC):
 * one column per week (Monday first), each day with its number of answers.
 */
export function calendarWeeks(days: PracticeDay[], today: string, weeks: number): { day: string; answers: number; future: boolean }[][] {
  const counts = new Map(days.map((d) => [d.day, d.answers]));
  const t = Date.parse(`${today}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  const firstMonday = t - weekday * DAY_MS - (weeks - 1) * 7 * DAY_MS;
  return Array.from({ length: weeks }, (_, w) =>
    Array.from({ length: 7 }, (_, d) => {
      const ms = firstMonday + (w * 7 + d) * DAY_MS;
      const day = isoDay(ms);
      return { day, answers: counts.get(day) ?? 0, future: ms > t };
    }),
  );
}

/** How many weeks the calendar shows for a period. */
export function calendarLength(period: 'four_weeks' | 'three_months' | 'all_time', days: PracticeDay[], today: string): number {
  if (period === 'four_weeks') return 4;
  if (period === 'three_months') return 13;
  const first = days[0]?.day;
  if (!first) return 4;
  const span = Math.ceil((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS / 7) + 1;
  return Math.max(4, Math.min(span, 160));
}

/**
 * The calendar's labels: a month's short name over the first column (week) that holds its first
 * day, and the weekday names down the side (Monday first; only every other one is shown, as
 * calendars do, to keep the rows readable).
 */
export function calendarLabels(
  grid: readonly (readonly { day: string }[])[],
  locale?: string,
): { months: { col: number; label: string }[]; weekdays: string[] } {
  const name = (day: string): string =>
    new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { month: 'short', timeZone: 'UTC' });
  const months: { col: number; label: string }[] = [];
  grid.forEach((week, col) => {
    const first = week.find((d) => d.day.endsWith('-01'));
    if (first) months.push({ col, label: name(first.day) });
  });
  // The first column names its month too, unless a month starts right there or next to it.
  const start = grid[0]?.[0]?.day;
  if (start && !months.some((m) => m.col <= 1)) months.unshift({ col: 0, label: name(start) });
  // 2024-01-01 was a Monday.
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    i % 2 === 0 && i < 6
      ? new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(locale, { weekday: 'short', timeZone: 'UTC' })
      : '',
  );
  return { months, weekdays };
}

/** A calendar day in words: "Tue 6 Jan 2026: 2 answers". */
export function dayTitle(day: string, answers: number, locale?: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const when = Number.isNaN(t)
    ? day
    : new Date(t).toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${when}: ${answers === 0 ? 'no answers' : answers === 1 ? '1 answer' : `${answers} answers`}`;
}

/**
 * How a chart's value axis ticks: counts at whole numbers only (never "2.5 answers") and from 0,
 * scores at whole points, a difference at the step given (so 0 is always a tick).
 */
export function valueTicks(opts: { integer?: boolean; step?: number }): { precision?: number; stepSize?: number; beginAtZero?: boolean } {
  return {
    ...(opts.integer ? { precision: 0, beginAtZero: true } : {}),
    ...(opts.step !== undefined ? { stepSize: opts.step } : {}),
  };
}
