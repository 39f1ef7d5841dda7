// The history a page at a time: each question arrives with its newest answers and a count, and
// "Show more" adds the next page of one question without reloading the others.
import type { HistoryTake, QuestionHistory } from './backend';

/** Answers shown per question when the history opens. */
export const FIRST_PAGE = 5;
/** Answers added by each "Show more". */
export const MORE_PAGE = 20;

/** One question's answers loaded so far (newest first) and how many it has in all. */
export interface QuestionTakes {
  questionId: string;
  answers: number;
  takes: HistoryTake[];
}

/** The questions as the backend sent them, most recently practised first. */
export function fromHistory(history: QuestionHistory[]): QuestionTakes[] {
  return history.map((q) => ({ questionId: q.question_id, answers: q.answers, takes: q.takes }));
}

/** How many of a question's answers are not loaded yet. */
export function notShown(g: QuestionTakes): number {
  return Math.max(0, g.answers - g.takes.length);
}

/** The label of the "Show more" button, or null when everything is shown. */
export function moreLabel(g: QuestionTakes): string | null {
  const left = notShown(g);
  if (left === 0) return null;
  const next = Math.min(left, MORE_PAGE);
  return next === left ? `Show the other ${left}` : `Show ${next} more (${left} not shown)`;
}

/**
 * Adds a further page to one question. A take already there is not added twice (answers
 * recorded since the history opened shift the pages), and an empty page means the question
 * has no more: its count is corrected to what is loaded, so the button goes away.
 */
export function withPage(groups: QuestionTakes[], questionId: string, page: HistoryTake[]): QuestionTakes[] {
  return groups.map((g) => {
    if (g.questionId !== questionId) return g;
    const seen = new Set(g.takes.map((t) => t.id));
    const takes = [...g.takes, ...page.filter((t) => !seen.has(t.id))];
    return { ...g, takes, answers: page.length === 0 ? takes.length : Math.max(g.answers, takes.length) };
  });
}
