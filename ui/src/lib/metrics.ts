// Delivery metrics as the review shows them: plain numbers, never a verdict.
import type { Metrics } from './backend';

/** Seconds as "m:ss.s" (or "s.s s" under a minute). */
export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

export interface MetricRow {
  label: string;
  value: string;
  testId: string;
}

/** The rows of the metrics panel, in reading order. */
export function metricRows(m: Metrics): MetricRow[] {
  const n = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));
  return [
    { label: 'Length', value: seconds(m.duration_s), testId: 'metric-duration' },
    { label: 'Speaking time', value: seconds(m.speaking_s), testId: 'metric-speaking' },
    { label: 'Time to first word', value: seconds(m.time_to_first_word_s), testId: 'metric-first-word' },
    {
      label: 'Speaking, first to last word',
      value: m.phonation_ratio === null ? '—' : `${Math.round((m.phonation_ratio ?? 0) * 100)} %`,
      testId: 'metric-phonation',
    },
    { label: 'Pauses (≥ 0.25 s)', value: `${m.pauses.length} · ${n(m.pauses_per_min)} a minute`, testId: 'metric-pauses' },
    { label: 'Mean / longest pause', value: `${seconds(m.mean_pause_s)} / ${seconds(m.longest_pause_s)}`, testId: 'metric-pause-length' },
    { label: 'Long pauses (≥ 2 s)', value: `${m.long_pauses.length} · ${n(m.long_pauses_per_min)} a minute`, testId: 'metric-long-pauses' },
  ];
}

/** A seek target kept inside the take. */
export function clampTime(t: number, duration: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.max(0, Math.min(duration > 0 ? duration : 0, t));
}

/** Playback speeds offered (pitch is preserved by the player). */
const SPEEDS = [1, 1.25, 1.5] as const;

/** The next speed after `current`, wrapping around. */
export function nextSpeed(current: number): number {
  const i = SPEEDS.findIndex((s) => s === current);
  return SPEEDS[(i + 1) % SPEEDS.length] ?? 1;
}
