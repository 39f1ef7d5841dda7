// Delivery read from an answer's words, as Review shows it beside the figures from the audio:
// pace, fillers, the longest stretch without one, repeated phrases, and the uncertainty voiced
// (listed apart, never counted as a fault).
import type { Transcript } from './backend';
import { seconds, type MetricRow } from './metrics';

const perMin = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(0));

/** The rows of the "from the words" figures, in reading order. */
export function wordRows(t: Transcript): MetricRow[] {
  const d = t.delivery;
  const fillerRate = d.fillers_per_min === null || d.fillers_per_min === undefined ? '—' : d.fillers_per_min.toFixed(1);
  return [
    { label: 'Words a minute', value: perMin(d.words_per_min), testId: 'words-per-min' },
    { label: 'Fillers (um, uh…)', value: `${d.fillers} · ${fillerRate} a minute`, testId: 'fillers-per-min' },
    {
      label: 'Longest stretch without a filler',
      value: d.fillers === 0 ? `${seconds(d.longest_without_filler_s)} (none said)` : seconds(d.longest_without_filler_s),
      testId: 'longest-without-filler',
    },
  ];
}

/** A repeated phrase as listed: "“you know” × 4". */
export function repeatLabel(phrase: string, count: number): string {
  return `“${phrase}” × ${count}`;
}

/** Why pace and filler rates are dashes: too little speech to make a rate of. */
export function tooShort(t: Transcript): boolean {
  return t.delivery.words_per_min === null || t.delivery.words_per_min === undefined;
}
