import { describe, expect, it } from 'vitest';
import { draggedWords, dropRun, extendWords, NOTHING_SELECTED, pickWord } from './wordSelection';

describe('selecting words', () => {
  it('plays from a word clicked and selects up to a word Shift+clicked after it', () => {
    const first = pickWord(NOTHING_SELECTED, 'a', 5, false);
    expect(first).toEqual({ selection: { run: null, anchor: { take: 'a', index: 5 } }, play: true });
    const second = pickWord(first.selection, 'a', 2, true);
    expect(second).toEqual({ selection: { run: { take: 'a', from: 2, to: 5 }, anchor: { take: 'a', index: 5 } }, play: false });
  });

  it('does not select across takes: a Shift+click in another take plays from there', () => {
    const first = pickWord(NOTHING_SELECTED, 'a', 5, false);
    expect(pickWord(first.selection, 'r', 1, true)).toEqual({ selection: { run: null, anchor: { take: 'r', index: 1 } }, play: true });
    expect(pickWord(NOTHING_SELECTED, 'a', 1, true).play).toBe(true);
  });

  it('grows and shrinks a selection with Shift+arrows from where it began', () => {
    let s = extendWords(NOTHING_SELECTED, 'a', 3, 4);
    expect(s.run).toEqual({ take: 'a', from: 3, to: 4 });
    s = extendWords(s, 'a', 4, 5);
    expect(s.run).toEqual({ take: 'a', from: 3, to: 5 });
    s = extendWords(s, 'a', 5, 4);
    s = extendWords(s, 'a', 4, 3);
    s = extendWords(s, 'a', 3, 2);
    expect(s.run).toEqual({ take: 'a', from: 2, to: 3 });
    expect(dropRun(s)).toEqual({ run: null, anchor: { take: 'a', index: 3 } });
  });

  it('reads the words a drag went over, in the take it started in', () => {
    const box = document.createElement('div');
    box.innerHTML =
      '<div data-take="a"><p><span data-index="0">So,</span> <span data-index="1">I</span> <span data-index="2">rewrote</span></p></div>' +
      '<div data-take="r"><p><span data-index="0">Because</span> <span data-index="1">it</span></p></div>';
    document.body.append(box);
    const words = box.querySelectorAll('span');
    const range = document.createRange();
    range.setStart(words[1]!.firstChild!, 0);
    range.setEnd(words[3]!.firstChild!, 3);
    expect(draggedWords(box, range)).toEqual({ take: 'a', from: 1, to: 2 });
    range.setStart(words[2]!.firstChild!, 1);
    range.setEnd(words[2]!.firstChild!, 4);
    expect(draggedWords(box, range)).toBeNull();
    expect(draggedWords(box, null)).toBeNull();
    box.remove();
  });
});
