// Picking two takes of one question from the history, and the score differences between them.
import type { HistoryTake, Marker, Rating } from './backend';

/**
 * Ticks or unticks a take for the side-by-side view: at most two, both of the same question.
 * Ticking a take of another question starts again from it; a third tick drops the oldest pick.
 */
export function togglePick(picked: HistoryTake[], take: HistoryTake): HistoryTake[] {
  if (picked.some((p) => p.id === take.id)) return picked.filter((p) => p.id !== take.id);
  const same = picked.filter((p) => p.question_id === take.question_id);
  return [...same, take].slice(-2);
}

/** The two picks, older first. */
export function olderFirst(a: HistoryTake, b: HistoryTake): [HistoryTake, HistoryTake] {
  return a.started_at <= b.started_at ? [a, b] : [b, a];
}

/** The latest saved guided review among a take's ratings (null if never reviewed). */
export function latestReview(ratings: Rating[]): Rating | null {
  const reviewed = ratings.filter((r) => !r.draft && r.input.kind === 'reviewed');
  return reviewed.reduce<Rating | null>((best, r) => (!best || (r.saved_at ?? '') >= (best.saved_at ?? '') ? r : best), null);
}

/** One criterion's scores in the two takes and the change from the older to the newer. */
export interface ScoreDelta {
  key: string;
  label: string;
  older: number | null;
  newer: number | null;
  delta: number | null;
  /** "+1", "−2", "±0", or "—" when either is missing. */
  text: string;
}

/** Per-criterion change between two reviews (older first), in the given criterion order. */
export function scoreDeltas(older: Rating | null, newer: Rating | null, criteria: { key: string; short: string }[]): ScoreDelta[] {
  const score = (r: Rating | null, key: string): number | null =>
    r?.input.scores.find((s) => s.criterion === key)?.score ?? null;
  return criteria.map((c) => {
    const a = score(older, c.key);
    const b = score(newer, c.key);
    const delta = a === null || b === null ? null : b - a;
    const text = delta === null ? '—' : delta > 0 ? `+${delta}` : delta < 0 ? `−${-delta}` : '±0';
    return { key: c.key, label: c.short, older: a, newer: b, delta, text };
  });
}

/** A review's written notes worth showing beside the take: per-criterion notes, feelings, commitment. */
export function reviewNotes(r: Rating | null, criteria: { key: string; short: string }[]): { label: string; text: string }[] {
  if (!r) return [];
  const notes = r.input.scores
    .filter((s) => s.note.trim() !== '')
    .map((s) => ({ label: criteria.find((c) => c.key === s.criterion)?.short ?? s.criterion, text: s.note.trim() }));
  if (r.input.feelings_note.trim()) notes.push({ label: 'Feelings', text: r.input.feelings_note.trim() });
  if (r.input.commitment.trim()) notes.push({ label: 'Next time', text: r.input.commitment.trim() });
  return notes;
}

/** Markers as "0:12 Complexity — note" lines, in time order. */
export function markerLines(markers: Marker[], labelOf: (tag: string | null) => string): string[] {
  return [...markers]
    .sort((a, b) => (a.at_s ?? 0) - (b.at_s ?? 0))
    .map((m) => {
      const s = Math.max(0, Math.round(m.at_s ?? 0));
      const at = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      return `${at} ${labelOf(m.tag)}${m.note.trim() ? ` — ${m.note.trim()}` : ''}`;
    });
}
