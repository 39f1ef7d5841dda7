// Review's logic, kept out of its components so it can be tested: the two lists (answers waiting
// for review, answers reviewed) a page at a time, opening one answer with everything its replay
// and rating need, what a key does, and the words for a rating.
import { toBackendError, type Backend, type Marker, type Rating, type RatingInput, type RatingKind, type Rubric, type Take, type TakeReview } from './backend';
import { addPage, fromTakePage, LIST_PAGE, type Paged } from './paging';
import { resume, rubricFor, wizardKey, type Step, type WizardKey } from './wizard';

/** The two lists Review shows, each under its tab. */
export type ReviewTab = 'queue' | 'reviewed';

export interface ReviewLists {
  /** Answers waiting for review, oldest first. */
  queue: Paged<Take>;
  /** Answers reviewed, newest first. */
  reviewed: Paged<Take>;
}

/**
 * The first page of both lists, and the question prompts by id when `prompts` is still empty, so
 * every row can say what it answered as soon as it is shown.
 */
export async function loadLists(
  backend: Backend,
  prompts: ReadonlyMap<string, string>,
): Promise<{ lists: ReviewLists; prompts: ReadonlyMap<string, string> }> {
  const [q, r, library] = await Promise.all([
    backend.reviewQueue(0, LIST_PAGE),
    backend.reviewedAnswers(0, LIST_PAGE),
    prompts.size === 0 ? backend.library() : null,
  ]);
  return {
    lists: { queue: fromTakePage(q), reviewed: fromTakePage(r) },
    prompts: library ? new Map(library.map((e) => [e.question.id, e.question.prompt])) : prompts,
  };
}

/** The lists with the next page of one of them added. */
export async function loadMore(backend: Backend, lists: ReviewLists, which: ReviewTab): Promise<ReviewLists> {
  if (which === 'queue') {
    const page = await backend.reviewQueue(lists.queue.items.length, LIST_PAGE);
    return { ...lists, queue: addPage(lists.queue, page.takes, page.total) };
  }
  const page = await backend.reviewedAnswers(lists.reviewed.items.length, LIST_PAGE);
  return { ...lists, reviewed: addPage(lists.reviewed, page.takes, page.total) };
}

/** The prompt of the question an answer answered. */
export function promptText(prompts: ReadonlyMap<string, string>, questionId: string): string {
  return prompts.get(questionId) ?? 'A question no longer in your library';
}

/** How an answer is opened: to rate it (a review, or a blind re-grade), or to view its ratings. */
export type OpenMode = RatingKind | 'view';

/**
 * What Review opens straight away: one answer (`id`), or the oldest answer waiting for review
 * (`first`); `next` lists the answers to rate after it (a round's), before the rest of the queue.
 */
export interface ReviewOpen {
  id?: string;
  first?: boolean;
  mode: OpenMode;
  next?: string[];
  /** Where to put the player once it is open: a take (the answer or a reply) and a moment in it. */
  at?: { take: string; s: number };
  /** A mock round's answers, in order (opened from its summary): they can go out as one page. */
  round?: string[];
}

/** One answer opened in Review. */
export interface OpenedAnswer {
  review: TakeReview;
  /** The answer's WAV bytes; null when its audio was deleted (ratings and markers stay). */
  audio: ArrayBuffer | null;
  /** The rubric as it applies to this answer's question (no feeling check unless it asks). */
  rubric: Rubric;
  /** The whole rubric, to pass as `known` when the next answer is opened. */
  fullRubric: Rubric;
  markers: Marker[];
  /** Viewing: every rating of the answer. Rating: none. */
  savedRatings: Rating[];
  /** Rating: where it starts (a draft of the same kind resumes). Viewing: null. */
  input: RatingInput | null;
}

/** Loads what opening an answer needs; the rubric is fetched only when not known yet. */
export async function openAnswer(backend: Backend, takeId: string, mode: OpenMode, known: Rubric | null): Promise<OpenedAnswer> {
  const review = await backend.takeReview(takeId);
  let audio: ArrayBuffer | null = null;
  try {
    audio = await backend.takeAudio(takeId);
  } catch (e) {
    if (toBackendError(e).code !== 'NotFound') throw e;
  }
  const fullRubric = known ?? (await backend.rubric());
  const rubric = rubricFor(fullRubric, review.question);
  const markers = await backend.markers(takeId);
  if (mode === 'view') {
    return { review, audio, rubric, fullRubric, markers, savedRatings: await backend.takeRatings(takeId), input: null };
  }
  return {
    review,
    audio,
    rubric,
    fullRubric,
    markers,
    savedRatings: [],
    input: resume(await backend.ratingDraft(takeId, mode), takeId, mode, rubric),
  };
}

/** What a key does in Review: a rating step's key, or the player's. */
export type ReviewKey = WizardKey | { kind: 'toggle' } | { kind: 'seek'; by: number } | { kind: 'close' };

/** The key pressed, and where. */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** The tag name of the element the key went to (keys typed into a field are the field's). */
  targetTag?: string;
}

/**
 * Maps a key to an action while an answer is open; `step` is the rating step shown (none when
 * viewing). A rating step's keys come first (Shift leaves them to the player: Shift ← seeks while
 * ← goes back a step); keys typed into a field or with Ctrl, Alt or Meta do nothing here.
 */
export function reviewKey(e: KeyPress, step: Step | undefined): ReviewKey | null {
  if (e.targetTag && ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.targetTag)) return null;
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const wizard = step && !e.shiftKey ? wizardKey(e.key, step) : null;
  if (wizard) return wizard;
  switch (e.key) {
    case 'm':
    case 'M':
      return { kind: 'marker' };
    case ' ':
      return { kind: 'toggle' };
    case 'ArrowLeft':
      return { kind: 'seek', by: -5 };
    case 'ArrowRight':
      return { kind: 'seek', by: 5 };
    case 'Escape':
      return { kind: 'close' };
    default:
      return null;
  }
}

/** The heading of a rating's column: which kind of rating it is. */
export function ratingKindLabel(kind: RatingKind): string {
  return kind === 'regrade' ? 'Re-grade' : kind === 'immediate' ? 'Right after' : 'Review';
}

/** A rating's score for one criterion, or a dash when it has none. */
export function scoreText(rating: Rating, criterion: string): string {
  const s = rating.input.scores.find((x) => x.criterion === criterion)?.score;
  return s === null || s === undefined ? '—' : String(s);
}

/**
 * The answer to rate after one is saved: the next of `upNext` (a round's answers, in order),
 * else the oldest answer still waiting for review; null when nothing else waits. `done` is the
 * answer just saved (never offered again).
 */
export async function nextToReview(
  backend: Backend,
  upNext: readonly string[],
  done: string,
): Promise<{ id: string; upNext: string[] } | null> {
  const rest = upNext.filter((id) => id !== done);
  if (rest.length > 0) return { id: rest[0]!, upNext: rest.slice(1) };
  const page = await backend.reviewQueue(0, 2);
  const next = page.takes.find((t) => t.id !== done);
  return next ? { id: next.id, upNext: [] } : null;
}
