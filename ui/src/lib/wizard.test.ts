import { describe, expect, it } from 'vitest';
import type { Marker, Rubric, RubricCriterion } from './backend';
import { fakeBackend } from './testing';
import {
  canSave,
  checkOf,
  emptyInput,
  feelingOf,
  goToStep,
  missingScores,
  needsEvidence,
  resume,
  scoredOnLabel,
  setCheck,
  setFeeling,
  setScore,
  stepLabel,
  stepName,
  stepStates,
  toggleFlag,
  wizardKey,
  wizardSteps,
} from './wizard';

function crit(key: string, scored_on = 'answer'): RubricCriterion {
  return { key, name: key, short: key, color: '#000000', scored_on, definition: 'd', checks: ['a', 'b', 'c'], levels: ['1', '2', '3', '4', '5'], guide: '' };
}

const rubric: Rubric = {
  criteria: [crit('complexity'), crit('gaps'), crit('second_order'), crit('honesty', 'followups'), crit('feeling')],
  red_flags: [{ key: 'cliche_lesson', label: 'Cliche', description: '', sounds_like: '' }],
  feelings: [{ key: 'calm', label: 'Calm' }],
  exemplars: [],
};

function marker(tag: string | null): Marker {
  return { id: 'm', take_id: 't', at_s: 1, tag, note: '' };
}

describe('wizard', () => {
  it('orders the steps: five criteria, feelings, red flags, commitment, save', () => {
    expect(wizardSteps(rubric).map(stepName)).toEqual([
      'complexity', 'gaps', 'second_order', 'honesty', 'feeling', 'feelings', 'flags', 'commitment', 'save',
    ]);
  });

  it('labels the steps on the progress bar', () => {
    const named = { ...rubric, criteria: rubric.criteria.map((c) => ({ ...c, short: c.key.toUpperCase() })) };
    expect(wizardSteps(named).map(stepLabel)).toEqual([
      'COMPLEXITY', 'GAPS', 'SECOND_ORDER', 'HONESTY', 'FEELING', 'Feelings', 'Red flags', 'Next time', 'Save',
    ]);
  });

  it('saves the draft at every step it moves to', async () => {
    const { backend } = fakeBackend();
    let input = setScore(emptyInput('t', 'reviewed', rubric), 'complexity', 3);
    const n = wizardSteps(rubric).length;
    for (let i = 1; i < n; i++) {
      input = await goToStep(backend, input, i, n);
      expect(backend.saveRatingDraft).toHaveBeenLastCalledWith(expect.objectContaining({ step: i, take_id: 't' }));
    }
    expect(backend.saveRatingDraft).toHaveBeenCalledTimes(n - 1);
    input = await goToStep(backend, input, 99, n);
    expect(input.step).toBe(n - 1);
    input = await goToStep(backend, input, -1, n);
    expect(input.step).toBe(0);
  });

  it('resumes a draft at its step with its values', () => {
    let input = setScore(emptyInput('t', 'reviewed', rubric), 'gaps', 2);
    input = setCheck(input, 'gaps', 1, 'partly');
    input = { ...input, step: 4, commitment: 'x' };
    const r = resume({ id: 'r', draft: true, saved_at: null, input: { ...input, scores: [{ criterion: 'gaps', score: 2, note: '', checks: [{ index: 1, answer: 'partly' }] }] } }, 't', 'reviewed', rubric);
    expect(r.step).toBe(4);
    expect(r.scores).toHaveLength(5);
    expect(r.scores[1]).toEqual({ criterion: 'gaps', score: 2, note: '', checks: [{ index: 1, answer: 'partly' }] });
    expect(r.commitment).toBe('x');
    expect(resume(null, 't', 'regrade', rubric)).toEqual(emptyInput('t', 'regrade', rubric));
  });

  it('edits checks, flags and feelings', () => {
    let i = emptyInput('t', 'reviewed', rubric);
    i = setCheck(setCheck(setCheck(i, 'honesty', 2, 'no'), 'honesty', 0, 'yes'), 'honesty', 2, 'partly');
    expect(i.scores[3]!.checks).toEqual([{ index: 0, answer: 'yes' }, { index: 2, answer: 'partly' }]);
    expect(checkOf(i, 'honesty', 1)).toBeNull();
    i = toggleFlag(toggleFlag(toggleFlag(i, 'b'), 'a'), 'b');
    expect(i.red_flags).toEqual(['a']);
    i = setFeeling(setFeeling(i, 'calm', 3), 'anxious', 5);
    expect(i.feelings.map((f) => f.key)).toEqual(['anxious', 'calm']);
    expect(feelingOf(setFeeling(i, 'calm', null), 'calm')).toBeNull();
    expect(setScore(i, 'gaps', 6)).toBe(i);
  });

  it('needs all five scores to save a review, not an immediate score', () => {
    let i = emptyInput('t', 'reviewed', rubric);
    for (const k of ['complexity', 'gaps', 'second_order', 'honesty']) i = setScore(i, k, 3);
    expect(missingScores(i)).toEqual(['feeling']);
    expect(canSave(i)).toBe(false);
    expect(canSave({ ...i, kind: 'immediate' })).toBe(true);
    expect(canSave(setScore(i, 'feeling', 1))).toBe(true);
  });

  it('prompts for evidence on a 4 or 5 with no marker tagged with the criterion', () => {
    const i = setScore(setScore(emptyInput('t', 'reviewed', rubric), 'gaps', 4), 'complexity', 3);
    expect(needsEvidence(i, 'gaps', [])).toBe(true);
    expect(needsEvidence(i, 'gaps', [marker('complexity'), marker(null)])).toBe(true);
    expect(needsEvidence(i, 'gaps', [marker('gaps')])).toBe(false);
    expect(needsEvidence(i, 'complexity', [])).toBe(false);
    expect(needsEvidence(i, 'honesty', [])).toBe(false);
  });

  it('labels what is scored unprompted and what under push-back', () => {
    expect(scoredOnLabel(crit('gaps', 'first_answer'))).toMatch(/first answer, before any push-back/);
    expect(scoredOnLabel(crit('second_order', 'first_answer'))).toMatch(/unprompted/);
    expect(scoredOnLabel(crit('honesty', 'followups'))).toMatch(/replies to the push-backs/);
    expect(scoredOnLabel(crit('complexity'))).toBeNull();
  });

  it('maps keys: digits score on criterion steps, Enter and arrows move, M marks', () => {
    const first = wizardSteps(rubric)[0]!;
    expect(wizardKey('4', first)).toEqual({ kind: 'score', score: 4 });
    expect(wizardKey('6', first)).toBeNull();
    expect(wizardKey('3', { kind: 'flags' })).toBeNull();
    expect(wizardKey('Enter', first)).toEqual({ kind: 'next' });
    expect(wizardKey('ArrowRight', { kind: 'save' })).toBeNull();
    expect(wizardKey('Enter', { kind: 'save' })).toEqual({ kind: 'save' });
    expect(wizardKey('ArrowLeft', first)).toEqual({ kind: 'back' });
    expect(wizardKey('m', first)).toEqual({ kind: 'marker' });
  });

  it('marks scored and unscored criteria apart on the step bar, and the other steps by visit', () => {
    let input = emptyInput('t', 'reviewed', rubric);
    input = setScore(input, 'gaps', 4);
    input = { ...input, step: 6 };
    expect(stepStates(wizardSteps(rubric), input)).toEqual([
      'unscored', 'scored', 'unscored', 'unscored', 'unscored', 'visited', 'ahead', 'ahead', 'ahead',
    ]);
  });
});
