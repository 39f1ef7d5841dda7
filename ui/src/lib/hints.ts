// Hints on the rating steps, read from the words of an answer and its replies: where uncertainty
// was voiced (and whether a way to find out followed), where consequences were reasoned about
// (unprompted or only after a push-back), phrases that may read as a red flag. Hints, never scores.
import type { EvidenceHints, Hint } from './backend';

/** The rating step a group of hints belongs to (the rubric's criterion keys). */
export const HINT_STEPS = { uncertainty: 'gaps', consequences: 'second_order' } as const;

/** One hint as a step lists it. */
export interface HintLine {
  /** A stable key for the list. */
  key: string;
  /** The take to play and where. */
  takeId: string;
  atS: number;
  /** "First answer" or "Reply to push-back 2". */
  where: string;
  sentence: string;
  cue: string;
  /** What the hint says beside the sentence ("a way to find out followed: ask"). */
  note: string;
}

/** Where a hint was said, in words. */
export function whereSaid(h: Hint): string {
  return h.reply === 0 ? 'First answer' : `Reply to push-back ${h.reply}`;
}

const line = (h: Hint, note: string): HintLine => ({
  key: `${h.take_id}-${h.start_s}-${h.cue}`,
  takeId: h.take_id,
  atS: h.start_s ?? 0,
  where: whereSaid(h),
  sentence: h.sentence,
  cue: h.cue,
  note,
});

/** The hints for a criterion step, or null when the step has none to offer. */
export function hintsFor(criterion: string, hints: EvidenceHints | null): { lines: HintLine[]; summary: string } | null {
  if (!hints) return null;
  if (criterion === HINT_STEPS.uncertainty) {
    const lines = hints.uncertainty.map((h) =>
      line(h, h.followed_by ? `a way to find out followed: “${h.followed_by}”` : 'no way to find out followed'),
    );
    const followed = hints.uncertainty.filter((h) => h.followed_by).length;
    const summary = !lines.length
      ? 'No uncertainty was voiced in the words Candor heard.'
      : followed
        ? `You voiced uncertainty ${times(lines.length)}; a way to find out followed ${times(followed)}.`
        : `You voiced uncertainty ${times(lines.length)}; no way to find out followed.`;
    return { lines, summary };
  }
  if (criterion === HINT_STEPS.consequences) {
    const lines = hints.consequences.map((h) => line(h, h.reply === 0 ? 'unprompted' : 'after a push-back'));
    const first = hints.consequences.filter((h) => h.reply === 0).length;
    const all = lines.length === 1 ? 'in' : lines.length === 2 ? 'both in' : 'all in';
    const summary = !lines.length
      ? 'No consequence language in the words Candor heard.'
      : first === lines.length
        ? `Consequence language ${times(lines.length)}, ${all} the first answer (unprompted).`
        : first
          ? `Consequence language ${times(lines.length)}, ${times(first)} in the first answer (unprompted).`
          : `Consequence language ${times(lines.length)}, only after a push-back.`;
    return { lines, summary };
  }
  return null;
}

/** The hints for one red flag (its rubric key). */
export function flagHints(flag: string, hints: EvidenceHints | null): HintLine[] {
  return (hints?.flags ?? []).filter((h) => h.flag === flag).map((h) => line(h, 'may read as this'));
}

/** A sentence cut around its cue, so the cue can be shown apart: [before, cue, after]. */
export function aroundCue(sentence: string, cue: string): [string, string, string] {
  const i = cue ? sentence.indexOf(cue) : -1;
  if (i < 0) return [sentence, '', ''];
  return [sentence.slice(0, i), cue, sentence.slice(i + cue.length)];
}

/** "once", "twice", "3 times". */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** What a step says when some recordings have no transcript yet. */
export function untranscribedNote(hints: EvidenceHints | null): string | null {
  if (!hints || hints.untranscribed === 0) return null;
  return hints.untranscribed === 1
    ? 'One recording of this answer has no transcript yet; its words are not in these hints.'
    : `${hints.untranscribed} recordings of this answer have no transcript yet; their words are not in these hints.`;
}
