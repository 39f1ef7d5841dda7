// Selecting words in Review's transcript: a click on a word plays from it and makes it the anchor,
// Shift+click or Shift+arrow selects from the anchor to a word (in the same take), and a mouse drag
// selects the words it went over. The selection is what "Mark these words" marks.

/** A run of words selected in one take, `from` ≤ `to` (word indexes, both included). */
export interface WordRun {
  take: string;
  from: number;
  to: number;
}

/** The run selected (if any) and the word a Shift+click or Shift+arrow selects from. */
export interface WordSelection {
  run: WordRun | null;
  anchor: { take: string; index: number } | null;
}

export const NOTHING_SELECTED: WordSelection = { run: null, anchor: null };

const span = (take: string, a: number, b: number): WordRun => ({ take, from: Math.min(a, b), to: Math.max(a, b) });

/**
 * A word clicked (or Enter on it). With `extend` (Shift) and an anchor in the same take: the
 * words from the anchor to it are selected. Otherwise it becomes the anchor, the selection is
 * dropped and the player plays from it (`play`).
 */
export function pickWord(s: WordSelection, take: string, index: number, extend: boolean): { selection: WordSelection; play: boolean } {
  if (extend && s.anchor?.take === take) return { selection: { ...s, run: span(take, s.anchor.index, index) }, play: false };
  return { selection: { run: null, anchor: { take, index } }, play: true };
}

/** Shift+arrow from word `from` to word `to`: the selection grows or shrinks from its anchor (`from` when none). */
export function extendWords(s: WordSelection, take: string, from: number, to: number): WordSelection {
  const anchor = s.run && s.anchor?.take === take ? s.anchor : { take, index: from };
  return { run: span(take, anchor.index, to), anchor };
}

/** The selection dropped (the anchor stays, for the next Shift+click). */
export function dropRun(s: WordSelection): WordSelection {
  return { run: null, anchor: s.anchor };
}

/**
 * The words a mouse drag went over, from the page's selection: the word elements
 * (`[data-index]`, inside an element with `data-take`) under `container` that the range touches,
 * in the take of the first; null unless it covers two words or more (a drag inside one word is a click).
 */
export function draggedWords(container: ParentNode, range: Pick<Range, 'intersectsNode'> | null): WordRun | null {
  if (!range) return null;
  const hit = [...container.querySelectorAll<HTMLElement>('[data-take] [data-index]')].filter((w) => range.intersectsNode(w));
  const takeOf = (w: HTMLElement): string | undefined => w.closest<HTMLElement>('[data-take]')?.dataset['take'];
  const take = hit[0] ? takeOf(hit[0]) : undefined;
  if (!take) return null;
  const idx = hit.filter((w) => takeOf(w) === take).map((w) => Number(w.dataset['index']));
  return idx.length < 2 ? null : span(take, Math.min(...idx), Math.max(...idx));
}
