// The guided self-rating: its steps, the values entered, and when a draft is saved.
import type {
  Backend,
  CheckAnswer,
  Marker,
  Rating,
  RatingInput,
  RatingKind,
  Rubric,
  RubricCriterion,
} from './backend';

/** One step of the wizard. */
export type Step =
  | { kind: 'criterion'; criterion: RubricCriterion }
  | { kind: 'feelings' }
  | { kind: 'flags' }
  | { kind: 'commitment' }
  | { kind: 'save' };

/** Whether answering the question asks how the candidate felt (the feeling check is scored only then). */
export function asksFeeling(question: { criteria: readonly string[] }): boolean {
  return question.criteria.includes('feeling');
}

/**
 * The rubric as it applies to one question: without the feeling check when the question does not
 * ask how the candidate felt (nothing to score, so no step, no quick-score row, no missing score).
 */
export function rubricFor(rubric: Rubric, question: { criteria: readonly string[] }): Rubric {
  return asksFeeling(question) ? rubric : { ...rubric, criteria: rubric.criteria.filter((c) => c.key !== 'feeling') };
}

/** The steps in order: one per criterion, then feelings, red flags, the commitment, save. */
export function wizardSteps(rubric: Rubric): Step[] {
  return [
    ...rubric.criteria.map((criterion): Step => ({ kind: 'criterion', criterion })),
    { kind: 'feelings' },
    { kind: 'flags' },
    { kind: 'commitment' },
    { kind: 'save' },
  ];
}

/** A short name for a step (screenshots, test ids). */
export function stepName(step: Step): string {
  return step.kind === 'criterion' ? step.criterion.key : step.kind;
}

/** A step's name on the wizard's progress bar: the criterion's short name, or what the step asks. */
export function stepLabel(step: Step): string {
  switch (step.kind) {
    case 'criterion':
      return step.criterion.short;
    case 'flags':
      return 'Red flags';
    case 'commitment':
      return 'Next time';
    case 'feelings':
      return 'Feelings';
    case 'save':
      return 'Save';
  }
}

/** How a step shows on the step bar: a criterion scored or not, another step visited or not. */
export type StepState = 'scored' | 'unscored' | 'visited' | 'ahead';

/** Each step's state on the step bar (the current one included). */
export function stepStates(steps: Step[], input: RatingInput): StepState[] {
  return steps.map((st, i) => {
    if (st.kind === 'criterion') return scoreOf(input, st.criterion.key) === null ? 'unscored' : 'scored';
    return i < input.step ? 'visited' : 'ahead';
  });
}

/** The heading of a step. */
export function stepTitle(step: Step): string {
  switch (step.kind) {
    case 'criterion':
      return step.criterion.name;
    case 'feelings':
      return 'How did you feel while answering?';
    case 'flags':
      return 'Red flags';
    case 'commitment':
      return 'One thing to do differently next time';
    case 'save':
      return 'Save this rating';
  }
}

/** A rating with nothing entered yet. */
export function emptyInput(takeId: string, kind: RatingKind, rubric: Rubric): RatingInput {
  return {
    take_id: takeId,
    kind,
    step: 0,
    scores: rubric.criteria.map((c) => ({ criterion: c.key, score: null, note: '', checks: [] })),
    red_flags: [],
    feelings: [],
    feelings_note: '',
    commitment: '',
  };
}

/** Where to start: a saved draft resumes at its step with its values, otherwise an empty rating. */
export function resume(draft: Rating | null, takeId: string, kind: RatingKind, rubric: Rubric): RatingInput {
  const fresh = emptyInput(takeId, kind, rubric);
  if (!draft) return fresh;
  const d = draft.input;
  return {
    ...fresh,
    ...d,
    step: Math.min(d.step, wizardSteps(rubric).length - 1),
    scores: fresh.scores.map((s) => {
      const found = d.scores.find((x) => x.criterion === s.criterion);
      return found ? { criterion: s.criterion, score: found.score ?? null, note: found.note, checks: [...found.checks] } : s;
    }),
  };
}

function withCriterion(
  input: RatingInput,
  key: string,
  f: (c: RatingInput['scores'][number]) => RatingInput['scores'][number],
): RatingInput {
  return { ...input, scores: input.scores.map((c) => (c.criterion === key ? f(c) : c)) };
}

/** The score given to a criterion, if any. */
export function scoreOf(input: RatingInput, key: string): number | null {
  return input.scores.find((c) => c.criterion === key)?.score ?? null;
}

/** Sets a criterion's score (1 to 5). */
export function setScore(input: RatingInput, key: string, score: number): RatingInput {
  if (!Number.isInteger(score) || score < 1 || score > 5) return input;
  return withCriterion(input, key, (c) => ({ ...c, score }));
}

/** Sets a criterion's note. */
export function setNote(input: RatingInput, key: string, note: string): RatingInput {
  return withCriterion(input, key, (c) => ({ ...c, note }));
}

/** The answer given to a check, if any. */
export function checkOf(input: RatingInput, key: string, index: number): CheckAnswer | null {
  return input.scores.find((c) => c.criterion === key)?.checks.find((m) => m.index === index)?.answer ?? null;
}

/** Answers one check of a criterion (replacing an earlier answer). */
export function setCheck(input: RatingInput, key: string, index: number, answer: CheckAnswer): RatingInput {
  return withCriterion(input, key, (c) => ({
    ...c,
    checks: [...c.checks.filter((m) => m.index !== index), { index, answer }].sort((a, b) => a.index - b.index),
  }));
}

/** Ticks or unticks a red flag. */
export function toggleFlag(input: RatingInput, flag: string): RatingInput {
  const has = input.red_flags.includes(flag);
  return { ...input, red_flags: has ? input.red_flags.filter((f) => f !== flag) : [...input.red_flags, flag].sort() };
}

/** The intensity given to a feeling, if it was felt. */
export function feelingOf(input: RatingInput, key: string): number | null {
  return input.feelings.find((f) => f.key === key)?.intensity ?? null;
}

/** Sets a feeling's intensity 1 to 5, or clears it with null. */
export function setFeeling(input: RatingInput, key: string, intensity: number | null): RatingInput {
  const rest = input.feelings.filter((f) => f.key !== key);
  const feelings = intensity === null ? rest : [...rest, { key, intensity }];
  return { ...input, feelings: feelings.sort((a, b) => a.key.localeCompare(b.key)) };
}

/** Criteria still without a score. */
export function missingScores(input: RatingInput): string[] {
  return input.scores.filter((c) => c.score === null || c.score === undefined).map((c) => c.criterion);
}

/** Whether the rating can be saved (a review needs every criterion the question asks scored). */
export function canSave(input: RatingInput): boolean {
  return input.kind === 'immediate' || missingScores(input).length === 0;
}

/** A 4 or 5 with no marker tagged with that criterion: gently suggest pointing at the evidence. */
export function needsEvidence(input: RatingInput, key: string, markers: Marker[]): boolean {
  const s = scoreOf(input, key);
  return s !== null && s >= 4 && !markers.some((m) => m.tag === key);
}

/** What a criterion is scored on, in words (null when nothing needs saying). */
export function scoredOnLabel(c: RubricCriterion): string | null {
  if (c.scored_on === 'followups') return 'Scored on your replies to the push-backs.';
  if (c.scored_on === 'first_answer') return 'Scored on your first answer, before any push-back (unprompted).';
  return null;
}

/** What a key press does on a step. */
export type WizardKey =
  | { kind: 'score'; score: number }
  | { kind: 'next' }
  | { kind: 'back' }
  | { kind: 'marker' }
  | { kind: 'save' };

/** Maps a key to a wizard action (digits score only on a criterion step; Enter saves on the last). */
export function wizardKey(key: string, step: Step): WizardKey | null {
  if (/^[1-5]$/.test(key)) return step.kind === 'criterion' ? { kind: 'score', score: Number(key) } : null;
  if (key === 'Enter' && step.kind === 'save') return { kind: 'save' };
  if (key === 'Enter' || key === 'ArrowRight') return step.kind === 'save' ? null : { kind: 'next' };
  if (key === 'ArrowLeft') return { kind: 'back' };
  if (key === 'm' || key === 'M') return { kind: 'marker' };
  return null;
}

/** Moves to step `to` (clamped) and saves the draft there, so a review left half-way resumes. */
export async function goToStep(backend: Backend, input: RatingInput, to: number, stepCount: number): Promise<RatingInput> {
  const step = Math.max(0, Math.min(to, stepCount - 1));
  const next = { ...input, step };
  await backend.saveRatingDraft(next);
  return next;
}
