// The example answers shown after a rating is saved: what each kind is called, and which ones a
// question's category has, in the order they are worth reading.
import type { Rubric } from './backend';

/** One example answer or reply, as the rubric gives it. */
export type Exemplar = Rubric['exemplars'][number];

const ORDER = ['strong', 'weak', 'update', 'hold', 'collapse', 'defensive'];

const LABELS: Record<string, string> = {
  strong: 'A strong answer',
  weak: 'A weak answer',
  update: 'Reply: a good update',
  hold: 'Reply: a good hold',
  collapse: 'Reply: folding',
  defensive: 'Reply: defending',
};

/** The tab label of an exemplar's kind. */
export function kindLabel(kind: string): string {
  return LABELS[kind] ?? kind;
}

/** Whether an exemplar shows what to do (it cites evidence) rather than what to avoid. */
export function isGood(e: Exemplar): boolean {
  return e.evidence.length > 0;
}

/**
 * The category's exemplars, strong first, then weak, then replies to push-back. A category
 * with no reply of its own borrows one good reply and one poor reply from the others, so every
 * review can show how a push-back is answered.
 */
export function exemplarsFor(rubric: Rubric, category: string): Exemplar[] {
  const rank = (e: Exemplar): number => {
    const i = ORDER.indexOf(e.kind);
    return i < 0 ? ORDER.length : i;
  };
  const own = rubric.exemplars.filter((e) => e.category === category);
  const replies = own.filter((e) => e.kind !== 'strong' && e.kind !== 'weak');
  const borrowed: Exemplar[] = [];
  if (own.length > 0 && replies.length === 0) {
    const others = rubric.exemplars.filter((e) => e.category !== category);
    const good = others.find((e) => e.kind === 'update' || e.kind === 'hold');
    const poor = others.find((e) => e.kind === 'collapse' || e.kind === 'defensive');
    if (good) borrowed.push(good);
    if (poor) borrowed.push(poor);
  }
  return [...own, ...borrowed].sort((a, b) => rank(a) - rank(b));
}
