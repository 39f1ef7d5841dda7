// The first-run welcome: what the round scores (from the rubric), how a session goes, and where
// the readings come from; and whether the person has dismissed it (kept in the window's storage).
import type { Category, RubricCriterion } from './backend';
import type { Store } from './theme';

const DISMISSED = 'candor.welcome.dismissed';

function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function welcomeDismissed(store: Store | null = storage()): boolean {
  return store?.getItem(DISMISSED) === '1';
}

export function dismissWelcome(store: Store | null = storage()): void {
  store?.setItem(DISMISSED, '1');
}

/** Home shows the welcome until it is dismissed, and only before the first answer. */
export function showWelcome(answers: number, store: Store | null = storage()): boolean {
  return answers === 0 && !welcomeDismissed(store);
}

/** How a session goes, in order. */
export const SESSION_STEPS: { title: string; text: string }[] = [
  { title: 'A question', text: 'Candor picks one from the readings: the kind with no clean answer.' },
  { title: 'You answer out loud', text: 'Press Space and talk, as in the room. Two or three minutes is about right.' },
  { title: 'The interviewer pushes back', text: 'A follow-up on the weak point. Record your reply, or skip it.' },
  { title: 'You review the take', text: 'Replay it and score yourself on each criterion, then note one thing to do differently.' },
];

/** One criterion as the welcome shows it: what a 1, a 3 and a 5 sound like. */
export interface CriterionAnchors {
  key: string;
  name: string;
  short: string;
  color: string;
  definition: string;
  anchors: { score: 1 | 3 | 5; text: string }[];
}

/** The criteria with their 1, 3 and 5, straight from the rubric Candor scores with. */
export function criterionAnchors(criteria: readonly RubricCriterion[]): CriterionAnchors[] {
  return criteria.map((c) => ({
    key: c.key,
    name: c.name,
    short: c.short,
    color: c.color,
    definition: c.definition,
    anchors: ([1, 3, 5] as const).map((score) => ({ score, text: c.levels[score - 1] ?? '' })),
  }));
}

/** What one score means for a criterion (for the quick-score buttons' tooltips). */
export function anchorText(c: Pick<RubricCriterion, 'name' | 'levels'>, score: number): string {
  const level = c.levels[score - 1];
  return level ? `${score} — ${level}` : String(score);
}

/** Where a candidate finds each reading the questions come from. */
export const READING_SOURCES: Readonly<Record<string, string>> = {
  'Core Views on AI Safety':
    "An essay Anthropic publishes on its website. It keeps three scenarios open: today's alignment methods are enough, the problem is hard but solvable, or it may not be solvable at scale.",
  'Responsible Scaling Policy':
    'A policy Anthropic publishes on its website: AI Safety Levels (ASL), the capability thresholds that trigger ASL-3, and evaluations repeated on a fixed cadence.',
  'Contestable positions':
    'Not a document of its own: four positions in the reading that are worth a view of your own — safety research at the frontier, timelines from compute scaling, process-oriented learning at scale, and holding back publication.',
  'The three research pillars':
    "Constitutional AI, mechanistic interpretability and scalable oversight, as Anthropic's research pages and papers describe them. Know what problem each solves and what would show it failing.",
  'How to disagree well':
    'The craft the round rewards: name the exact tension, follow its consequences unprompted, say what you do not know, then move or hold under push-back.',
  'The emotional check':
    'Not a document: the round asks how you felt at the time. These questions are about your own experience.',
  'Viable versus lovable':
    'A product idea: safety judgement as part of what makes a product loved, not a review added once the design is done.',
  "Anthropic's research pages":
    'The research Anthropic publishes on its website. These questions ask you to put one pointed question to a line of that work.',
  "Anthropic's research pages: Constitutional AI":
    'Anthropic\'s research page and paper on Constitutional AI: training a model against a written set of principles. Know the problem it takes on and what result would show it failing.',
  "Anthropic's research pages: mechanistic interpretability":
    'Anthropic\'s interpretability research: working out what a model computes from its insides. Know what it would let you check, and what would show it falling short.',
  "Anthropic's research pages: scalable oversight":
    'Anthropic\'s research on scalable oversight: supervising models on tasks people cannot easily judge for themselves. Know the problem it addresses and what would count against it.',
};

/**
 * The readings of the question bank, in the order their categories come, with where to find each
 * (categories about your own experience, with no reading, are left out).
 */
export function readings(categories: readonly Pick<Category, 'name' | 'reading'>[]): { reading: string; where: string; topics: string[] }[] {
  const out: { reading: string; where: string; topics: string[] }[] = [];
  for (const c of categories) {
    if (!c.reading.trim()) continue;
    let r = out.find((x) => x.reading === c.reading);
    if (!r) {
      r = { reading: c.reading, where: readingSource(c.reading), topics: [] };
      out.push(r);
    }
    r.topics.push(c.name);
  }
  return out;
}

/** Where to find a reading; a reading a person named themselves is theirs. */
export function readingSource(reading: string): string {
  return READING_SOURCES[reading] ?? 'A reading you named yourself for one of your own questions.';
}
