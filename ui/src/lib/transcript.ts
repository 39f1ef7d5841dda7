// A take's transcript as Review shows it: which word is being said at a moment (for the
// highlight that follows the audio), where a marker snaps to, the words quoted in a marker's
// note, the transcript cut into paragraphs, fillers and voiced uncertainty per word; and the
// search over every transcript (the words typed, the snippet's matched words).
import type { Backend, Heard, Segment, Transcript, Word } from './backend';

/**
 * Where word `i` starts, in seconds. A word without a start (the model gave none) takes its end,
 * else the time of the word before it (0 for the first), so the times never go backwards.
 */
export function wordStart(words: readonly Word[], i: number): number {
  for (let j = Math.min(i, words.length - 1); j >= 0; j--) {
    const w = words[j]!;
    const t = j === i ? (w.start_s ?? w.end_s) : (w.end_s ?? w.start_s);
    if (t !== null && Number.isFinite(t)) return t;
  }
  return 0;
}

/** Where word `i` ends: its own end, else where the next word starts, else its start. */
export function wordEnd(words: readonly Word[], i: number): number {
  const w = words[i];
  if (w?.end_s !== null && w?.end_s !== undefined && Number.isFinite(w.end_s)) return w.end_s;
  return i + 1 < words.length ? wordStart(words, i + 1) : wordStart(words, i);
}

/**
 * The index of the word being said at `t` seconds (binary search): between two words, the word
 * before; before the first word, -1; after the last, the last.
 */
export function wordAt(words: readonly Word[], t: number): number {
  if (!Number.isFinite(t) || words.length === 0) return -1;
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (wordStart(words, mid) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** How far (seconds) a marker may snap to a word that was just said or is about to be. */
export const SNAP_SLACK_S = 1;

/**
 * The word a moment belongs to, for a marker: the word being said at `t`, or in a silence the
 * nearer of the word just ended and the word coming, when it is within `slack` seconds; -1 when
 * no word is that close (a long pause, before the first word, after the last).
 */
export function wordNear(words: readonly Word[], t: number, slack = SNAP_SLACK_S): number {
  if (!Number.isFinite(t)) return -1;
  const i = wordAt(words, t);
  const before = i >= 0 ? t - wordEnd(words, i) : Infinity;
  if (i >= 0 && before <= 0) return i;
  const after = i + 1 < words.length ? wordStart(words, i + 1) - t : Infinity;
  if (Math.min(before, after) > slack) return -1;
  return before <= after ? i : i + 1;
}

/** Where a marker added at `t` goes: the start of the word at or around `t` (else `t`). */
export function snapToWord(words: readonly Word[], t: number, slack = SNAP_SLACK_S): number {
  const i = wordNear(words, t, slack);
  return i < 0 ? t : wordStart(words, i);
}

/** The longest quote a marker's note gets (longer ones end in "…"). */
export const QUOTE_MAX = 160;

/** Words `from` to `to` (either order, both included) as text, cut at a word past `max` characters. */
export function quote(words: readonly Word[], from: number, to: number, max = QUOTE_MAX): string {
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.min(words.length - 1, Math.max(from, to));
  let text = '';
  for (let i = lo; i <= hi; i++) {
    const w = words[i]!.word.trim();
    if (!w) continue;
    const next = text ? `${text} ${w}` : w;
    if (next.length > max && text) return `${text}…`;
    text = next;
  }
  return text;
}

/** A quote as a marker's note shows it: in quotation marks (nothing when there are no words). */
export function quoted(text: string): string {
  return text ? `“${text}”` : '';
}

/** Where a run of words starts and ends (the first word's start, the last word's end). */
export function selectionRange(words: readonly Word[], from: number, to: number): { start_s: number; end_s: number } {
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.min(words.length - 1, Math.max(from, to));
  return { start_s: wordStart(words, lo), end_s: Math.max(wordStart(words, lo), wordEnd(words, hi)) };
}

/**
 * The note of a marker added at `t`: the word there and up to `around` words either side,
 * quoted ("…" where the answer goes on); empty when no word is near.
 */
export function markNote(words: readonly Word[], t: number, around = 2): string {
  const i = wordNear(words, t);
  if (i < 0) return '';
  const lo = Math.max(0, i - around);
  const hi = Math.min(words.length - 1, i + around);
  const text = quote(words, lo, hi);
  if (!text) return '';
  return quoted(`${lo > 0 ? '…' : ''}${text}${hi < words.length - 1 ? '…' : ''}`);
}

/** What a word is besides a word: a filler ("um"), part of uncertainty said out loud, or neither. */
export type WordKind = 'filler' | 'hedge' | null;

/** How many transcript words a cue covers (its words as said). */
function cueLength(h: Heard): number {
  return Math.max(1, h.text.trim().split(/\s+/).filter(Boolean).length);
}

/** Each word's kind, by index: the words of every filler and of every hedge marked. */
export function wordKinds(t: Pick<Transcript, 'words' | 'fillers' | 'hedges'>): WordKind[] {
  const kinds = new Array<WordKind>(t.words.length).fill(null);
  const mark = (cues: readonly Heard[], kind: Exclude<WordKind, null>): void => {
    for (const h of cues) {
      const end = Math.min(t.words.length, h.word + cueLength(h));
      for (let i = Math.max(0, h.word); i < end; i++) kinds[i] ??= kind;
    }
  };
  mark(t.fillers, 'filler');
  mark(t.hedges, 'hedge');
  return kinds;
}

/** The word indexes of each segment the model cut (all words in one line when it cut none). */
export function lines(segments: readonly Segment[], words: readonly Word[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let seg = 0;
  for (let i = 0; i < words.length; i++) {
    const s = wordStart(words, i);
    // A word belongs to the last segment that starts at or before it (a hundredth of slack).
    while (seg + 1 < segments.length && (segments[seg + 1]!.start_s ?? Infinity) <= s + 0.01) {
      seg += 1;
      if (cur.length) {
        out.push(cur);
        cur = [];
      }
    }
    cur.push(i);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** A paragraph of the transcript: where it starts and the indexes of its words. */
export interface Paragraph {
  start_s: number;
  words: number[];
}

/** A silence this long between two segments starts a new paragraph. */
export const PARAGRAPH_GAP_S = 2;

/** The segments as paragraphs: a new one after each silence of `gapS` seconds or more. */
export function paragraphs(segments: readonly Segment[], words: readonly Word[], gapS = PARAGRAPH_GAP_S): Paragraph[] {
  const out: Paragraph[] = [];
  for (const line of lines(segments, words)) {
    const first = line[0]!;
    const last = out[out.length - 1];
    const prevEnd = last ? wordEnd(words, last.words[last.words.length - 1]!) : -Infinity;
    if (last && wordStart(words, first) - prevEnd < gapS) last.words.push(...line);
    else out.push({ start_s: wordStart(words, first), words: [...line] });
  }
  return out;
}

/** The transcripts of some takes by id (null: a take without one yet). */
export type Transcripts = Record<string, Transcript | null>;

/** Loads the transcripts of the takes (an answer and its replies). */
export async function loadTranscripts(backend: Pick<Backend, 'transcript'>, takeIds: readonly string[]): Promise<Transcripts> {
  const all = await Promise.all(takeIds.map((id) => backend.transcript(id)));
  return Object.fromEntries(takeIds.map((id, i) => [id, all[i] ?? null]));
}

// ---------------------------------------------------------------- search

/** Fewest characters a search needs. */
export const MIN_SEARCH = 2;
/** Most characters a search may have (core refuses longer). */
export const MAX_SEARCH = 200;

/** The words to search for, tidied; null while too short to search. */
export function searchWords(typed: string): string | null {
  const t = typed.trim().replace(/\s+/g, ' ').slice(0, MAX_SEARCH).trim();
  return t.length >= MIN_SEARCH ? t : null;
}

/** A piece of a search snippet: plain text, or words that matched (shown marked). */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

/** A snippet ("… so I [rewrote] the …") as plain and marked pieces, brackets removed. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = /\[([^[\]]*)\]/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) parts.push({ text: snippet.slice(at, m.index), mark: false });
    if (m[1]) parts.push({ text: m[1], mark: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), mark: false });
  return parts;
}

/**
 * A search run as the user types: each `run` waits `delayMs`, a newer call replaces one still
 * waiting, and only the newest search's answer is delivered (an older one arriving late is dropped).
 */
export class LatestSearch<T> {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #seq = 0;
  readonly #find: (words: string) => Promise<T>;
  readonly #delayMs: number;

  constructor(find: (words: string) => Promise<T>, delayMs = 250) {
    this.#find = find;
    this.#delayMs = delayMs;
  }

  /** Searches for `words` after the delay; `onresult` or `onerror` only if no newer search began. */
  run(words: string, onresult: (r: T) => void, onerror: (e: unknown) => void): void {
    this.cancel();
    const n = this.#seq;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#find(words).then(
        (r) => n === this.#seq && onresult(r),
        (e: unknown) => n === this.#seq && onerror(e),
      );
    }, this.#delayMs);
  }

  /** Drops the search waiting and any answer still to come. */
  cancel(): void {
    this.#seq += 1;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
