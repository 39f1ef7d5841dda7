// Second opinions, kept out of the components so they can be tested: rating criteria again with
// the example answers in mind, the words for a page made and an answer file imported, and the
// comparison of an answer's scores (the review, the re-rating, each outside rater's), criterion
// by criterion, disagreements first.
import type {
  AnchoredScore,
  CheckAnswer,
  DroppedOpinion,
  ImportedOpinion,
  Opinion,
  Rating,
  RubricCriterion,
  RubricRedFlag,
  SharedPage,
} from './backend';

/** Scores this far apart or more on one criterion are a disagreement. */
export const DISAGREE_AT = 2;

// ---------------------------------------------------------------- rating again with the examples in mind

/** One criterion of the re-rating being written: a score (none yet: left out) and a note. */
export interface AnchoredEntry {
  score: number | null;
  note: string;
}

/** The re-rating as the form holds it, by criterion key. */
export type AnchoredDraft = Record<string, AnchoredEntry>;

/** The form's start: what was kept before for each criterion, or nothing. */
export function anchoredDraft(criteria: readonly Pick<RubricCriterion, 'key'>[], kept: readonly AnchoredScore[]): AnchoredDraft {
  return Object.fromEntries(
    criteria.map((c) => {
      const k = kept.find((a) => a.criterion === c.key);
      return [c.key, { score: k?.score ?? null, note: k?.note ?? '' }];
    }),
  );
}

/** The draft with one criterion's score chosen (the same score again clears it: it is optional). */
export function chooseAnchored(draft: AnchoredDraft, criterion: string, score: number): AnchoredDraft {
  const was = draft[criterion] ?? { score: null, note: '' };
  return { ...draft, [criterion]: { ...was, score: was.score === score ? null : score } };
}

/** What is saved: the criteria given a score, in the rubric's order, notes trimmed. */
export function anchoredToSave(criteria: readonly Pick<RubricCriterion, 'key'>[], draft: AnchoredDraft): AnchoredScore[] {
  return criteria.flatMap((c) => {
    const e = draft[c.key];
    return e && e.score !== null ? [{ criterion: c.key, score: e.score, note: e.note.trim() }] : [];
  });
}

/** "With the examples in mind: 3 (was 2)"; without "(was …)" when the review gave no score. */
export function anchoredLine(score: number, was: number | null): string {
  return `With the examples in mind: ${score}${was === null ? '' : ` (was ${was})`}`;
}

/** A rating's score on one criterion, or null. */
export function ratingScore(rating: Rating | null, criterion: string): number | null {
  return rating?.input.scores.find((s) => s.criterion === criterion)?.score ?? null;
}

// ---------------------------------------------------------------- the words

/** "Sam's" (a name left empty: "A rater's"). */
function whose(rater: string): string {
  const name = rater.trim();
  return name ? `${name}’s` : 'A rater’s';
}

/** "Sam's rating of 1 answer was added." / "Sam's ratings of 3 answers were added." */
export function importedMessage(i: ImportedOpinion): string {
  const n = i.take_ids.length;
  return n === 1 ? `${whose(i.rater)} rating of 1 answer was added.` : `${whose(i.rater)} ratings of ${n} answers were added.`;
}

/** A size in bytes as megabytes, "2.4 MB" (at least "0.1 MB"; whole above 10). */
export function megabytes(bytes: number | null): string {
  const mb = Math.max(0, bytes ?? 0) / (1024 * 1024);
  if (mb >= 10) return `${Math.round(mb)} MB`;
  return `${Math.max(0.1, Math.round(mb * 10) / 10).toFixed(1)} MB`;
}

/** "Saved candor-second-opinion-2026-11-27.html to Downloads (2.3 MB)." */
export function pageSavedMessage(p: SharedPage): string {
  return `Saved ${p.file_name} to Downloads (${megabytes(p.bytes)}).`;
}

/** What a drop on the window brought: its message, or its error to show. */
export function droppedOutcome(d: DroppedOpinion): { text: string } | { error: NonNullable<DroppedOpinion['error']> } | null {
  if (d.imported) return { text: importedMessage(d.imported) };
  if (d.error) return { error: d.error };
  return null;
}

/** The answers of a round to send as one page: the answer open first, then the rest in order. */
export function roundToSend(round: readonly string[] | undefined, open: string): string[] {
  if (!round || !round.includes(open)) return [];
  return [...new Set(round)];
}

/** What a round's page carries, for "Ask for a second opinion on this round…". */
export function roundWhat(answers: number): string {
  return answers === 1 ? 'the recording of this round’s answer' : `the recordings of this round’s ${answers} answers`;
}

// ---------------------------------------------------------------- the comparison

/** One outside rater's word on one criterion. */
export interface RaterScore {
  /** The opinion it comes from. */
  id: string;
  rater: string;
  score: number | null;
  note: string;
  /** The checks they answered, in the rubric's words. */
  checks: { text: string; answer: CheckAnswer }[];
}

/** One criterion compared. */
export interface OpinionRow {
  criterion: string;
  name: string;
  /** Your review's score. */
  reviewed: number | null;
  /** Your score with the examples in mind, and why. */
  anchored: number | null;
  anchoredNote: string;
  raters: RaterScore[];
  /** The widest difference between any two of the scores (null with fewer than two). */
  spread: number | null;
  /** The scores differ by DISAGREE_AT or more. */
  disagree: boolean;
}

/**
 * The comparison of one answer, criterion by criterion (the criteria of its question's rubric):
 * the disagreements first, widest first, then the rest in the rubric's order.
 */
export function opinionRows(
  criteria: readonly Pick<RubricCriterion, 'key' | 'short' | 'checks'>[],
  reviewed: Rating | null,
  anchored: readonly AnchoredScore[],
  opinions: readonly Opinion[],
): OpinionRow[] {
  const rows = criteria.map((c): OpinionRow => {
    const a = anchored.find((s) => s.criterion === c.key);
    const raters = opinions.map((o): RaterScore => {
      const s = o.scores.find((x) => x.criterion === c.key);
      return {
        id: o.id,
        rater: o.rater,
        score: s?.score ?? null,
        note: s?.note.trim() ?? '',
        checks: (s?.checks ?? [])
          .filter((m) => m.index < c.checks.length)
          .map((m) => ({ text: c.checks[m.index] ?? '', answer: m.answer })),
      };
    });
    const r = ratingScore(reviewed, c.key);
    const scores = [r, a?.score ?? null, ...raters.map((x) => x.score)].filter((s): s is number => s !== null);
    const spread = scores.length >= 2 ? Math.max(...scores) - Math.min(...scores) : null;
    return {
      criterion: c.key,
      name: c.short,
      reviewed: r,
      anchored: a?.score ?? null,
      anchoredNote: a?.note.trim() ?? '',
      raters,
      spread,
      disagree: spread !== null && spread >= DISAGREE_AT,
    };
  });
  const order = new Map(rows.map((r, i) => [r.criterion, i]));
  return [...rows].sort((x, y) => {
    if (x.disagree !== y.disagree) return x.disagree ? -1 : 1;
    if (x.disagree && x.spread !== y.spread) return (y.spread ?? 0) - (x.spread ?? 0);
    return (order.get(x.criterion) ?? 0) - (order.get(y.criterion) ?? 0);
  });
}

/** Each rater's red flags (by their labels) and overall note, for the part under the table. */
export function ratersSaid(
  opinions: readonly Opinion[],
  flags: readonly Pick<RubricRedFlag, 'key' | 'label'>[],
): { id: string; rater: string; savedAt: string; flags: string[]; note: string }[] {
  return opinions.map((o) => ({
    id: o.id,
    rater: o.rater,
    savedAt: o.saved_at,
    flags: o.red_flags.map((f) => flags.find((x) => x.key === f)?.label ?? f),
    note: o.note.trim(),
  }));
}

/** "—" for no score. */
export function scoreCell(s: number | null): string {
  return s === null ? '—' : String(s);
}

/** How a check was answered, in words. */
export function checkWord(a: CheckAnswer): string {
  return a === 'yes' ? 'Yes' : a === 'partly' ? 'Partly' : 'No';
}
