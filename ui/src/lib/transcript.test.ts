import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Segment, Word } from './backend';
import { fakeBackend, sampleTranscript } from './testing';
import {
  LatestSearch,
  lines,
  loadTranscripts,
  markNote,
  paragraphs,
  quote,
  quoted,
  searchWords,
  selectionRange,
  snapToWord,
  snippetParts,
  wordAt,
  wordEnd,
  wordKinds,
  wordNear,
  wordStart,
} from './transcript';

/** Words from [text, start, end] triples. */
const ws = (...t: [string, number | null, number | null][]): Word[] => t.map(([word, start_s, end_s]) => ({ word, start_s, end_s, p: 0.9 }));

// "So, um, I rewrote it." then a long pause, then "I don't know why."
const words = ws(
  ['So,', 1.0, 1.3],
  ['um,', 1.5, 1.8],
  ['I', 2.0, 2.1],
  ['rewrote', 2.1, 2.6],
  ['it.', 2.6, 2.9],
  ['I', 6.0, 6.1],
  ["don't", 6.1, 6.3],
  ['know', 6.3, 6.6],
  ['why.', 6.7, 7.0],
);
const segments: Segment[] = [
  { start_s: 1.0, end_s: 2.9, text: 'So, um, I rewrote it.' },
  { start_s: 6.0, end_s: 7.0, text: "I don't know why." },
];

describe('wordAt', () => {
  it('finds the word being said, the word before between two words, -1 before the first', () => {
    expect(wordAt(words, 0.5)).toBe(-1);
    expect(wordAt(words, 1.0)).toBe(0);
    expect(wordAt(words, 1.4)).toBe(0);
    expect(wordAt(words, 2.3)).toBe(3);
    expect(wordAt(words, 4)).toBe(4);
    expect(wordAt(words, 6.65)).toBe(7);
    expect(wordAt(words, 99)).toBe(8);
  });

  it('gives -1 for no words or no time', () => {
    expect(wordAt([], 3)).toBe(-1);
    expect(wordAt(words, Number.NaN)).toBe(-1);
  });

  it('agrees with a plain scan on every moment of a long take', () => {
    const long = ws(...Array.from({ length: 500 }, (_, i): [string, number, number] => [`w${i}`, i * 0.4, i * 0.4 + 0.3]));
    for (let t = -1; t < 210; t += 0.13) {
      let expected = -1;
      long.forEach((w, i) => {
        if ((w.start_s ?? 0) <= t) expected = i;
      });
      expect(wordAt(long, t)).toBe(expected);
    }
  });

  it('reads a word without times as starting where the word before ended', () => {
    const gaps = ws(['a', 1, 1.2], ['b', null, null], ['c', 2, 2.2]);
    expect(wordStart(gaps, 1)).toBe(1.2);
    expect(wordEnd(gaps, 1)).toBe(2);
    expect(wordAt(gaps, 1.5)).toBe(1);
    expect(wordStart(ws(['x', null, null]), 0)).toBe(0);
  });
});

describe('snapping a marker to a word', () => {
  it('goes to the start of the word being said', () => {
    expect(snapToWord(words, 2.4)).toBe(2.1);
    expect(wordNear(words, 2.4)).toBe(3);
  });

  it('in a short silence, goes to the nearer of the word before and the word after', () => {
    expect(snapToWord(words, 1.35)).toBe(1.0);
    expect(snapToWord(words, 1.45)).toBe(1.5);
  });

  it('stays where it was in a long pause, before the first word and long after the last', () => {
    expect(snapToWord(words, 4.5)).toBe(4.5);
    expect(wordNear(words, 4.5)).toBe(-1);
    expect(snapToWord(ws(['a', 3, 3.2]), 0.5)).toBe(0.5);
    expect(snapToWord(words, 0.5)).toBe(1.0);
    expect(snapToWord(words, 9)).toBe(9);
    expect(snapToWord([], 3)).toBe(3);
  });
});

describe('quoting words', () => {
  it('joins the words chosen, in either order', () => {
    expect(quote(words, 2, 4)).toBe('I rewrote it.');
    expect(quote(words, 4, 2)).toBe('I rewrote it.');
    expect(quote(words, 8, 20)).toBe('why.');
    expect(quoted('I rewrote it.')).toBe('“I rewrote it.”');
    expect(quoted('')).toBe('');
  });

  it('cuts a long quote at a word, with an ellipsis', () => {
    const many = ws(...Array.from({ length: 100 }, (_, i): [string, number, number] => ['word', i, i + 0.5]));
    const q = quote(many, 0, 99, 30);
    expect(q.endsWith('…')).toBe(true);
    expect(q.length).toBeLessThanOrEqual(31);
    expect(q).toBe('word word word word word word…');
  });

  it('gives the span of a selection', () => {
    expect(selectionRange(words, 5, 7)).toEqual({ start_s: 6.0, end_s: 6.6 });
    expect(selectionRange(words, 7, 5)).toEqual({ start_s: 6.0, end_s: 6.6 });
  });

  it("notes the words around a marker, with … where the answer goes on", () => {
    expect(markNote(words, 2.3)).toBe('“…um, I rewrote it. I…”');
    expect(markNote(words, 1.1)).toBe('“So, um, I…”');
    expect(markNote(words, 6.9)).toBe('“…don\'t know why.”');
    expect(markNote(words, 4.5)).toBe('');
  });
});

describe('how the transcript is laid out', () => {
  it('marks fillers and the words of voiced uncertainty', () => {
    const kinds = wordKinds({
      words,
      fillers: [{ text: 'um,', start_s: 1.5, end_s: 1.8, word: 1 }],
      hedges: [{ text: "I don't know", start_s: 6.0, end_s: 6.6, word: 5 }],
    });
    expect(kinds).toEqual([null, 'filler', null, null, null, 'hedge', 'hedge', 'hedge', null]);
  });

  it('cuts lines where the model cut segments, paragraphs at a long silence', () => {
    expect(lines(segments, words)).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(paragraphs(segments, words)).toEqual([
      { start_s: 1.0, words: [0, 1, 2, 3, 4] },
      { start_s: 6.0, words: [5, 6, 7, 8] },
    ]);
    expect(paragraphs(segments, words, 5)).toEqual([{ start_s: 1.0, words: [0, 1, 2, 3, 4, 5, 6, 7, 8] }]);
  });

  it('keeps every word when there are no segments, and nothing when there are no words', () => {
    expect(paragraphs([], words)).toEqual([{ start_s: 1.0, words: [0, 1, 2, 3, 4, 5, 6, 7, 8] }]);
    expect(paragraphs(segments, [])).toEqual([]);
  });

  it('loads the transcripts of an answer and its replies', async () => {
    const { backend } = fakeBackend({ transcript: async (id) => (id === 'a' ? sampleTranscript([], { words }) : null) });
    const t = await loadTranscripts(backend, ['a', 'r']);
    expect(t['a']?.words).toHaveLength(9);
    expect(t['r']).toBeNull();
  });
});

describe('searching what was said', () => {
  it('searches only from two characters, tidied', () => {
    expect(searchWords(' a ')).toBeNull();
    expect(searchWords('  rewrote   it ')).toBe('rewrote it');
    expect(searchWords('x'.repeat(300))).toHaveLength(200);
  });

  it('splits a snippet into plain and matched words', () => {
    expect(snippetParts('… so I [rewrote] the [whole] thing …')).toEqual([
      { text: '… so I ', mark: false },
      { text: 'rewrote', mark: true },
      { text: ' the ', mark: false },
      { text: 'whole', mark: true },
      { text: ' thing …', mark: false },
    ]);
    expect(snippetParts('no match')).toEqual([{ text: 'no match', mark: false }]);
    expect(snippetParts('[start] end')).toEqual([
      { text: 'start', mark: true },
      { text: ' end', mark: false },
    ]);
  });

  describe('while typing', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('waits for a pause in typing and searches once', async () => {
      const find = vi.fn(async (w: string) => [w]);
      const s = new LatestSearch(find, 250);
      const got: string[][] = [];
      s.run('re', (r) => got.push(r), () => {});
      await vi.advanceTimersByTimeAsync(100);
      s.run('rew', (r) => got.push(r), () => {});
      await vi.advanceTimersByTimeAsync(249);
      expect(find).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(find).toHaveBeenCalledExactlyOnceWith('rew');
      expect(got).toEqual([['rew']]);
    });

    it('drops the answer of a search overtaken by a newer one, and of one cancelled', async () => {
      let release: (v: string[]) => void = () => {};
      const find = vi.fn((w: string) => (w === 'slow' ? new Promise<string[]>((r) => (release = r)) : Promise.resolve([w])));
      const s = new LatestSearch(find, 10);
      const got: string[][] = [];
      s.run('slow', (r) => got.push(r), () => {});
      await vi.advanceTimersByTimeAsync(10);
      s.run('fast', (r) => got.push(r), () => {});
      await vi.advanceTimersByTimeAsync(10);
      release(['slow']);
      await vi.advanceTimersByTimeAsync(0);
      expect(got).toEqual([['fast']]);
      s.run('gone', (r) => got.push(r), () => {});
      s.cancel();
      await vi.advanceTimersByTimeAsync(50);
      expect(got).toEqual([['fast']]);
    });

    it('reports the failure of the newest search', async () => {
      const s = new LatestSearch(async () => Promise.reject(new Error('no')), 10);
      const errors: unknown[] = [];
      s.run('x y', () => {}, (e) => errors.push(e));
      await vi.advanceTimersByTimeAsync(10);
      expect(errors).toHaveLength(1);
    });
  });
});
