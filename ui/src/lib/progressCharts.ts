// Shapes the progress overview into chart series and the text tables that carry the same numbers.
import type { CheckTally, PracticeDay, WeekCalibration, WeekScores, Weakest } from './backend';

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

/** What a chart draws, and what its table lists: one label per week or day, one row per series. */
export interface ChartData {
  labels: string[];
  series: Series[];
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
    labels: weeks.map((w) => w.week),
    series: criteria.map((c) => ({
      key: c.key,
      label: c.short,
      color: c.color,
      values: weeks.map((w) => w.criteria.find((m) => m.criterion === c.key)?.mean ?? null),
    })),
  };
}

/** Answers and reviewed answers per week. */
export function practiceChart(weeks: WeekScores[]): ChartData {
  return {
    labels: weeks.map((w) => w.week),
    series: [
      { key: 'answers', label: 'Answers', color: '#1f3a5f', values: weeks.map((w) => w.answers) },
      { key: 'reviewed', label: 'Reviewed', color: '#9fb3cc', values: weeks.map((w) => w.reviewed) },
    ],
  };
}

/** Quick, reviewed and blind re-grade overall scores per week, and the quick-minus-reviewed gap. */
export function calibrationChart(weeks: WeekCalibration[]): ChartData {
  return {
    labels: weeks.map((w) => w.week),
    series: [
      { key: 'immediate', label: 'Right after', color: '#d98c1f', values: weeks.map((w) => w.immediate) },
      { key: 'reviewed', label: 'On review', color: '#1f3a5f', values: weeks.map((w) => w.reviewed) },
      { key: 'regrade', label: 'Blind re-grade', color: '#7a4fb5', values: weeks.map((w) => w.regrade) },
      { key: 'gap', label: 'Gap (right after − review)', color: '#c62828', values: weeks.map((w) => w.immediate_gap) },
    ],
  };
}

/** The table under a chart: one row per label (week), one cell per series. */
export function tableRows(data: ChartData, format: (v: number | null, key: string) => string): { label: string; cells: string[] }[] {
  return data.labels.map((label, i) => ({
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

const DAY_MS = 86_400_000;

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
