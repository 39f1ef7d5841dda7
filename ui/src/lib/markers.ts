// How a marker looks wherever it is shown (Review's waveform and list, the side-by-side panes):
// tagged with a criterion it takes that criterion's colour and short name, tagged with a red flag
// it is red with the flag's label, untagged (or tagged with a key the rubric no longer has) it is
// a grey "Marker".
import type { Marker, Rubric } from './backend';

/** What a marker's tag names. */
export type MarkerKind = 'criterion' | 'flag' | 'none';

/** Red flags are drawn in the recording red (`--rec` in app.css). */
export const FLAG_COLOR = '#c62828';
/** A marker without a known tag is grey (`--muted` in app.css, light theme). */
export const UNTAGGED_COLOR = '#5d6675';

/** A marker's kind, colour (`#RRGGBB`, also for the waveform) and label. */
export interface MarkerStyle {
  kind: MarkerKind;
  color: string;
  label: string;
}

/** The style of a marker tagged `tag` (null: untagged); without a rubric every marker is untagged. */
export function markerStyle(rubric: Pick<Rubric, 'criteria' | 'red_flags'> | null, tag: string | null): MarkerStyle {
  if (tag !== null && rubric) {
    const c = rubric.criteria.find((k) => k.key === tag);
    if (c) return { kind: 'criterion', color: c.color, label: c.short };
    const f = rubric.red_flags.find((k) => k.key === tag);
    if (f) return { kind: 'flag', color: FLAG_COLOR, label: f.label };
  }
  return { kind: 'none', color: UNTAGGED_COLOR, label: 'Marker' };
}

/** A marker drawn as a line on the waveform, in its tag's colour. */
export interface WaveMarker {
  id: string;
  at_s: number;
  color: string;
  label: string;
}

/** The markers as the waveform draws them. */
export function waveMarkers(markers: readonly Marker[], rubric: Pick<Rubric, 'criteria' | 'red_flags'> | null): WaveMarker[] {
  return markers.map((m) => {
    const s = markerStyle(rubric, m.tag);
    return { id: m.id, at_s: m.at_s ?? 0, color: s.color, label: s.label };
  });
}

/** A new marker added to the list, kept in time order. */
export function insertMarker(markers: readonly Marker[], m: Marker): Marker[] {
  return [...markers, m].sort((a, b) => (a.at_s ?? 0) - (b.at_s ?? 0));
}

/**
 * The row (0, 1, …) of each marker's label in the strip above the waveform, so labels never
 * overlap: in time order, a label goes to the first row where it clears the one before it; one
 * that would need more than `maxRows` rows gets -1 (its line is drawn, its label left out).
 * Positions are in pixels of a strip `widthPx` wide; a label is about `charPx` per character.
 */
export function labelRows(
  markers: readonly Pick<WaveMarker, 'at_s' | 'label'>[],
  duration: number,
  widthPx: number,
  maxRows = Infinity,
  charPx = 7,
  padPx = 14,
): number[] {
  const order = markers.map((m, i) => ({ i, at: m.at_s })).sort((a, b) => a.at - b.at);
  const rowEnds: number[] = [];
  const rows = new Array<number>(markers.length).fill(0);
  for (const { i, at } of order) {
    const m = markers[i]!;
    const x = duration > 0 ? (Math.max(0, Math.min(at, duration)) / duration) * widthPx : 0;
    const w = m.label.length * charPx + padPx;
    let row = rowEnds.findIndex((end) => end <= x);
    if (row === -1) {
      if (rowEnds.length >= maxRows) {
        rows[i] = -1;
        continue;
      }
      row = rowEnds.length;
      rowEnds.push(0);
    }
    rowEnds[row] = x + w;
    rows[i] = row;
  }
  return rows;
}
