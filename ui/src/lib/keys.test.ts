import { describe, expect, it } from 'vitest';
import { applySingleKeys, isRecordToggle, isSingleKeyShortcut, loadSingleKeys, saveSingleKeys, singleKeysOn } from './keys';

const base = { code: 'Space', key: ' ', repeat: false, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, target: null };

describe('isRecordToggle', () => {
  it('accepts a plain Space', () => {
    expect(isRecordToggle(base)).toBe(true);
  });
  it('ignores auto-repeat and modifiers', () => {
    expect(isRecordToggle({ ...base, repeat: true })).toBe(false);
    expect(isRecordToggle({ ...base, ctrlKey: true })).toBe(false);
  });
  it('ignores Space typed into a field or a picker', () => {
    expect(isRecordToggle({ ...base, target: document.createElement('textarea') })).toBe(false);
    expect(isRecordToggle({ ...base, target: document.createElement('input') })).toBe(false);
    expect(isRecordToggle({ ...base, target: document.createElement('select') })).toBe(false);
  });
  it('records on Space even when a button has focus', () => {
    expect(isRecordToggle({ ...base, target: document.createElement('button') })).toBe(true);
  });
  it('ignores other keys', () => {
    expect(isRecordToggle({ ...base, code: 'KeyR', key: 'r' })).toBe(false);
  });
});

describe('single-key shortcuts can be turned off (WCAG 2.1.4)', () => {
  const memory = (): { getItem(k: string): string | null; setItem(k: string, v: string): void } => {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  };

  it('are on until turned off, and the choice is remembered', () => {
    const store = memory();
    expect(loadSingleKeys(store)).toBe(true);
    saveSingleKeys(false, store);
    expect(loadSingleKeys(store)).toBe(false);
    saveSingleKeys(true, store);
    expect(loadSingleKeys(store)).toBe(true);
  });

  it('are applied to the page, where the key handler reads them', () => {
    const root = document.createElement('html');
    applySingleKeys(false, root);
    expect(root.getAttribute('data-single-keys')).toBe('off');
    expect(singleKeysOn(root)).toBe(false);
    applySingleKeys(true, root);
    expect(root.hasAttribute('data-single-keys')).toBe(false);
    expect(singleKeysOn(root)).toBe(true);
  });

  it('silence character keys only: Space, letters, digits, "?"; not Enter, Esc, F1, arrows or Ctrl+1', () => {
    const k = (key: string, more: Partial<KeyboardEvent> = {}): boolean =>
      isSingleKeyShortcut({ key, ctrlKey: false, altKey: false, metaKey: false, target: document.createElement('button'), ...more });
    for (const key of [' ', 'm', 'M', 'r', '3', '?', 'y']) expect(k(key)).toBe(true);
    for (const key of ['Enter', 'Escape', 'F1', 'ArrowLeft', 'Tab']) expect(k(key)).toBe(false);
    expect(k('1', { ctrlKey: true })).toBe(false);
    expect(k('m', { target: document.createElement('input') })).toBe(false);
    expect(k('m', { target: document.createElement('textarea') })).toBe(false);
  });
});
