// The history a page at a time: each question arrives with its newest answers and a count, and
// "Show more" adds the next page of one question without reloading the others.
import type { HistoryTake, QuestionHistory } from './backend';
import { addPage, moreLabel as pagedMoreLabel, notShown as pagedNotShown, type Paged } from './paging';

/** Answers shown per question when the history opens. */
export const FIRST_PAGE = 5;
/** Answers added by each "Show more". */
export const MORE_PAGE = 20;

/** One question's answers loaded so far (newest first) and how many it has in all. */
export interface QuestionTakes {
  questionId: string;
  answers: Paged<HistoryTake>;
}

/** The questions as the backend sent them, most recently practised first. */
export function fromHistory(history: QuestionHistory[]): QuestionTakes[] {
  return history.map((q) => ({ questionId: q.question_id, answers: { items: q.takes, total: q.answers } }));
}

/** How many of a question's answers are not loaded yet. */
export function notShown(g: QuestionTakes): number {
  return pagedNotShown(g.answers);
}

/** The label of a question's "Show more" button, or null when all its answers are shown. */
export function moreLabel(g: QuestionTakes): string | null {
  return pagedMoreLabel(g.answers, MORE_PAGE);
}

/** Adds a further page to one question (see `addPage`). */
export function withPage(groups: QuestionTakes[], questionId: string, page: HistoryTake[]): QuestionTakes[] {
  return groups.map((g) => (g.questionId === questionId ? { ...g, answers: addPage(g.answers, page) } : g));
}
