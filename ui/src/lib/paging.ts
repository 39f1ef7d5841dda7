// Long lists a page at a time (the review queue, the reviewed answers, the history): what is
// loaded so far, how many the whole list holds, and the "Show more" label.
import type { TakePage } from './backend';

/** The id of a row that has one (the default key of `addPage`). */
function idOf(t: unknown): string {
  return (t as { id: string }).id;
}

/** Rows per page of the review lists and of the recordings. */
export const LIST_PAGE = 50;

/** The rows loaded so far of a list and how many the whole list holds. */
export interface Paged<T> {
  items: T[];
  total: number;
}

/** An empty list (nothing loaded yet). */
export function emptyPaged<T>(): Paged<T> {
  return { items: [], total: 0 };
}

/** The first page of the review queue or the reviewed answers. */
export function fromTakePage(page: TakePage): Paged<TakePage['takes'][number]> {
  return { items: page.takes, total: page.total };
}

/**
 * Adds the next page. A row already loaded is not added twice (rows added or removed since the
 * list opened shift the pages); an empty page means the list ends here, so its total becomes
 * what is loaded and "Show more" goes away.
 */
export function addPage<T>(list: Paged<T>, page: T[], total?: number, key: (t: T) => string = idOf): Paged<T> {
  const seen = new Set(list.items.map(key));
  const items = [...list.items, ...page.filter((t) => !seen.has(key(t)))];
  if (page.length === 0) return { items, total: items.length };
  return { items, total: Math.max(total ?? list.total, items.length) };
}

/** Rows of the list not loaded yet. */
export function notShown(list: Paged<unknown>): number {
  return Math.max(0, list.total - list.items.length);
}

/** The label of the "Show more" button (pages of `pageSize`), or null when all are shown. */
export function moreLabel(list: Paged<unknown>, pageSize: number): string | null {
  const left = notShown(list);
  if (left === 0) return null;
  const next = Math.min(left, pageSize);
  return next === left ? `Show the other ${left}` : `Show ${next} more (${left} not shown)`;
}
