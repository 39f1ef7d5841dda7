// Week rows of the progress screen: plain numbers, with the change from the first week shown.
import type { WeekDelivery } from './backend';
import { dayLabel } from './progressCharts';

export interface WeekRow {
  /** The week's Monday, `YYYY-MM-DD` (a key). */
  week: string;
  /** The same, as a person reads it ("5 Jan 2026"). */
  label: string;
  answers: number;
  firstWord: string;
  longPauses: string;
  speaking: string;
  /** From the words (dashes until an answer of the week has a transcript). */
  wordsPerMin: string;
  fillersPerMin: string;
  longestWithoutFiller: string;
  /** Times uncertainty was voiced that week ("—" without transcripts). */
  uncertainty: string;
  /** Why the figures are missing, when they are. */
  missing: string | null;
}

/** Why a week shows dashes: nothing measured yet, or nothing to measure. */
export const NOT_MEASURED = 'Not measured yet: Candor measures an answer the first time you open it in Review.';
export const NO_SPEECH = 'No speech found to measure in these answers.';

const fmt = (v: number | null | undefined, digits: number, unit = ''): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}${unit}`;

/** Table rows, oldest week first. */
export function weekRows(weeks: WeekDelivery[]): WeekRow[] {
  return weeks.map((w) => ({
    week: w.week,
    label: dayLabel(w.week, true),
    answers: w.answers,
    firstWord: fmt(w.mean_time_to_first_word_s, 1, ' s'),
    longPauses: fmt(w.long_pauses_per_min, 2),
    speaking: w.phonation_ratio === null || w.phonation_ratio === undefined ? '—' : `${Math.round(w.phonation_ratio * 100)} %`,
    wordsPerMin: fmt(w.words_per_min, 0),
    fillersPerMin: fmt(w.fillers_per_min, 1),
    longestWithoutFiller: fmt(w.longest_without_filler_s, 0, ' s'),
    uncertainty: w.transcribed > 0 ? `${w.uncertainty_voiced}` : '—',
    missing:
      w.answers > 0 && w.measured === 0
        ? NOT_MEASURED
        : w.measured > 0 && (w.mean_time_to_first_word_s === null || w.mean_time_to_first_word_s === undefined)
          ? NO_SPEECH
          : null,
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
