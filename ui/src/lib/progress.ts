// Week rows of the progress screen: plain numbers, with the change from the first week shown.
import type { WeekDelivery } from './backend';

export interface WeekRow {
  week: string;
  answers: number;
  firstWord: string;
  longPauses: string;
  speaking: string;
}

const fmt = (v: number | null | undefined, digits: number, unit = ''): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}${unit}`;

/** Table rows, oldest week first. */
export function weekRows(weeks: WeekDelivery[]): WeekRow[] {
  return weeks.map((w) => ({
    week: w.week,
    answers: w.answers,
    firstWord: fmt(w.mean_time_to_first_word_s, 1, ' s'),
    longPauses: fmt(w.long_pauses_per_min, 2),
    speaking: w.phonation_ratio === null || w.phonation_ratio === undefined ? '—' : `${Math.round(w.phonation_ratio * 100)} %`,
  }));
}

/** Change between the first and last measured week, e.g. "−0.8 s", or null with fewer than two. */
export function trend(weeks: WeekDelivery[], pick: (w: WeekDelivery) => number | null | undefined, digits = 1, unit = ''): string | null {
  const vals = weeks.map(pick).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  if (vals.length < 2) return null;
  const d = (vals[vals.length - 1] ?? 0) - (vals[0] ?? 0);
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  return `${sign}${Math.abs(d).toFixed(digits)}${unit}`;
}
