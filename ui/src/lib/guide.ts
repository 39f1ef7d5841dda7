// "What the round scores": the rubric Candor scores with, said briefly — each criterion with what
// a 1, a 3 and a 5 sound like, the feelings check apart (it is scored only when a question asks
// how you felt), how to disagree well, and the red flags that make an answer sound performed.
import type { Rubric, RubricCriterion, RubricRedFlag } from './backend';

/** The criterion key of the feelings check. */
export const FEELING = 'feeling';

/** The scores the guide shows for each criterion. */
export const SHOWN_SCORES = [1, 3, 5] as const;

/** What one score sounds like. */
export interface Anchor {
  score: number;
  text: string;
}

/** One criterion as the guide shows it. */
export interface GuideCriterion {
  key: string;
  name: string;
  color: string;
  definition: string;
  anchors: Anchor[];
}

/** One red flag: its name and what it sounds like. */
export interface GuideFlag {
  key: string;
  label: string;
  soundsLike: string;
}

/** What the page shows, from the rubric. */
export interface Guide {
  /** The criteria every answer is scored on, in the rubric's order. */
  criteria: GuideCriterion[];
  /** The feelings check, if the rubric has one. */
  feeling: GuideCriterion | null;
  flags: GuideFlag[];
}

/**
 * The levels of `scores` (1-based) that the rubric describes, in that order; a level missing or
 * left blank is left out rather than shown empty.
 */
export function pickLevels(levels: readonly string[], scores: readonly number[] = SHOWN_SCORES): Anchor[] {
  const out: Anchor[] = [];
  for (const score of scores) {
    const text = levels[score - 1]?.trim() ?? '';
    if (text) out.push({ score, text });
  }
  return out;
}

function criterion(c: RubricCriterion): GuideCriterion {
  return { key: c.key, name: c.name, color: c.color, definition: c.definition, anchors: pickLevels(c.levels) };
}

/** A red flag with something to quote; one without a quote keeps its label. */
function flag(f: RubricRedFlag): GuideFlag {
  return { key: f.key, label: f.label, soundsLike: f.sounds_like.trim() };
}

/** The page's content, from the rubric Candor scores with. */
export function guideFrom(rubric: Pick<Rubric, 'criteria' | 'red_flags'>): Guide {
  const feeling = rubric.criteria.find((c) => c.key === FEELING);
  return {
    criteria: rubric.criteria.filter((c) => c.key !== FEELING).map(criterion),
    feeling: feeling ? criterion(feeling) : null,
    flags: rubric.red_flags.map(flag),
  };
}

/** How to disagree well, in order: what the interviewer hopes to hear when there is no clean answer. */
export const DISAGREE_WELL: readonly { title: string; text: string }[] = [
  {
    title: 'Put your finger on the tension',
    text: 'Say exactly which two things pull against each other, and where. “There are good points on both sides” names nothing.',
  },
  {
    title: 'Follow it further than you were asked',
    text: 'Once you have an answer, go on to what it would change, break or make possible elsewhere, before anyone prompts you.',
  },
  {
    title: 'Say where your knowledge stops',
    text: 'Name what you do not know and how you would find it out. A plain “I don’t know” with a plan beats a confident guess.',
  },
  {
    title: 'When pushed, move or hold, for a reason',
    text: 'Change your view and say what changed it, or keep it and give the argument. Giving in at once and defending by reflex both read badly.',
  },
];
