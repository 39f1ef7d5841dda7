// The Library screen's logic, kept out of the component so it can be tested: filtering,
// the add/edit form's draft, and splitting the backend's messages into lines.
import type { Category, LibraryEntry, Question, QuestionDraft } from './backend';

/** Readable names of the criterion keys (unknown keys are shown as they are). */
const CRITERION_LABELS: Readonly<Record<string, string>> = {
  complexity: 'Complexity',
  gaps: 'Knowledge gaps',
  second_order: 'Second-order effects',
  honesty: 'Honesty under push-back',
  feeling: 'Feelings check',
};

export function criterionLabel(key: string): string {
  return CRITERION_LABELS[key] ?? key;
}

/** What the filter bar holds; an empty string means "any". */
export interface LibraryFilter {
  category: string;
  reading: string;
  criterion: string;
  search: string;
  showHidden: boolean;
}

export const emptyFilter: LibraryFilter = {
  category: '',
  reading: '',
  criterion: '',
  search: '',
  showHidden: true,
};

/** The words of a search, lower-cased (every one must match somewhere). */
function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
}

/** Whether an entry passes the filter. */
export function matchesFilter(entry: LibraryEntry, filter: LibraryFilter): boolean {
  const q = entry.question;
  if (entry.hidden && !filter.showHidden) return false;
  if (filter.category && q.category !== filter.category) return false;
  if (filter.reading && q.reading !== filter.reading) return false;
  if (filter.criterion && !q.criteria.includes(filter.criterion)) return false;
  const words = searchWords(filter.search);
  if (words.length === 0) return true;
  const haystack = [q.prompt, q.category_name, q.reading, q.id, ...q.pushbacks].join('\n').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function filterEntries(entries: readonly LibraryEntry[], filter: LibraryFilter): LibraryEntry[] {
  return entries.filter((e) => matchesFilter(e, filter));
}

/** Whether any filter (other than "show hidden") is set. */
export function isFiltered(filter: LibraryFilter): boolean {
  return (
    filter.category !== '' || filter.reading !== '' || filter.criterion !== '' || searchWords(filter.search).length > 0
  );
}

/** The distinct readings of the entries, sorted alphabetically. */
export function distinctReadings(entries: readonly LibraryEntry[]): string[] {
  const set = new Set<string>();
  for (const e of entries) {
    const r = e.question.reading.trim();
    if (r) set.add(r);
  }
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** "12 of 52 questions" (or "1 of 1 question"). */
export function countLabel(shown: number, total: number): string {
  return `${shown} of ${total} question${total === 1 ? '' : 's'}`;
}

// ------------------------------------------------------------------ the add/edit form

/** The add/edit form's fields, as the inputs hold them. */
export interface DraftForm {
  category: string;
  reading: string;
  prompt: string;
  criteria: string[];
  /** One push-back per line. */
  pushbacksText: string;
}

/** Push-backs typed one per line: trimmed, blank lines dropped. */
export function parsePushbacks(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function pushbacksToText(pushbacks: readonly string[]): string {
  return pushbacks.join('\n');
}

/** The reading a category follows ('' when the category is unknown). */
function categoryReading(categories: readonly Category[], id: string): string {
  return categories.find((c) => c.id === id)?.reading ?? '';
}

/** A blank form for a new question in `category` (default: the first category). */
export function newForm(categories: readonly Category[], category?: string): DraftForm {
  const id = category && categories.some((c) => c.id === category) ? category : (categories[0]?.id ?? '');
  return { category: id, reading: categoryReading(categories, id), prompt: '', criteria: [], pushbacksText: '' };
}

/** The form filled with one of the user's questions, to edit it. */
export function formFromQuestion(q: Question): DraftForm {
  return {
    category: q.category,
    reading: q.reading,
    prompt: q.prompt,
    criteria: [...q.criteria],
    pushbacksText: pushbacksToText(q.pushbacks),
  };
}

/**
 * The reading after the category changes: follows the new category's reading unless the user
 * had typed a reading of their own (one that is not the old category's reading).
 */
export function readingAfterCategoryChange(
  categories: readonly Category[],
  reading: string,
  oldCategory: string,
  newCategory: string,
): string {
  const typed = reading.trim();
  if (typed === '' || typed === categoryReading(categories, oldCategory)) {
    return categoryReading(categories, newCategory);
  }
  return reading;
}

/** Adds or removes a criterion, keeping the order of `all`. */
export function toggleCriterion(selected: readonly string[], key: string, on: boolean, all: readonly string[]): string[] {
  const set = new Set(selected);
  if (on) set.add(key);
  else set.delete(key);
  const known = all.filter((k) => set.has(k));
  const unknown = [...set].filter((k) => !all.includes(k));
  return [...known, ...unknown];
}

/** The draft sent to the backend: text trimmed, push-backs one per line. */
export function toDraft(form: DraftForm): QuestionDraft {
  return {
    category: form.category,
    reading: form.reading.trim(),
    prompt: form.prompt.trim(),
    criteria: [...form.criteria],
    pushbacks: parsePushbacks(form.pushbacksText),
  };
}

/** Longest prompt or push-back the backend accepts. */
const MAX_TEXT = 2000;

/** A problem of the form, with the field it is about (to highlight it). */
export interface FormProblem {
  field: keyof DraftForm;
  text: string;
}

/** What is missing or wrong in the form, in words (empty when it can be saved). */
export function draftProblems(form: DraftForm): FormProblem[] {
  const d = toDraft(form);
  const out: FormProblem[] = [];
  const add = (field: keyof DraftForm, text: string): void => void out.push({ field, text });
  if (!d.category) add('category', 'Choose a category.');
  // No reading is fine: a question about your own experience comes from none.
  if (d.reading.length > 200) add('reading', 'Keep the reading under 200 characters.');
  if (!d.prompt) add('prompt', 'Write the question.');
  else if (d.prompt.length > MAX_TEXT) add('prompt', `Keep the question under ${MAX_TEXT} characters.`);
  if (d.criteria.length === 0) add('criteria', 'Tick at least one criterion.');
  if (d.pushbacks.length === 0) add('pushbacksText', 'Write at least one push-back.');
  else if (d.pushbacks.length > 20) add('pushbacksText', 'Keep to at most 20 push-backs.');
  else if (d.pushbacks.some((p) => p.length > MAX_TEXT)) {
    add('pushbacksText', `Keep each push-back under ${MAX_TEXT} characters.`);
  }
  return out;
}

/** The form field a backend problem names ('pushbacks' is typed as pushbacksText). */
export function formField(field: string | undefined): keyof DraftForm | null {
  if (field === 'pushbacks') return 'pushbacksText';
  return field === 'category' || field === 'reading' || field === 'prompt' || field === 'criteria' ? field : null;
}

// ------------------------------------------------------------------ import and export

/** Largest file the import reads (the backend refuses more than 5 MB). */
export const MAX_IMPORT_BYTES = 5_000_000;

export function importedLabel(n: number): string {
  return `Imported ${n} question${n === 1 ? '' : 's'}`;
}

export const EXPORT_FILE_NAME = 'candor-questions.toml';
