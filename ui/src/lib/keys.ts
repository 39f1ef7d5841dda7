import { storage, type Store } from './theme';

/**
 * True when a key event should toggle recording: Space, no modifiers, not typing in a field.
 * Space on a focused button records too (the caller prevents the button's own activation),
 * so Space always means Record/Stop, as in a recorder; Enter still activates buttons.
 */
export function isRecordToggle(e: Pick<KeyboardEvent, 'code' | 'key' | 'repeat' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey' | 'target'>): boolean {
  if (e.code !== 'Space' && e.key !== ' ') return false;
  if (e.repeat || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return false;
  const t = e.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName ?? ''))) {
    return false;
  }
  return true;
}

const SINGLE_KEYS = 'candor.singleKeys';

/**
 * Whether shortcuts made of one character key (Space, letters, digits, "?") are on. They are by
 * default; a screen-reader user may turn them off (WCAG 2.1.4), since a screen reader's own keys
 * and Space on a focused button would otherwise start a recording or drop a marker.
 */
export function loadSingleKeys(store: Store | null = storage()): boolean {
  return store?.getItem(SINGLE_KEYS) !== 'off';
}

/** Remembers the choice on this computer, as the appearance is. */
export function saveSingleKeys(on: boolean, store: Store | null = storage()): void {
  store?.setItem(SINGLE_KEYS, on ? 'on' : 'off');
}

/** Applies it: `data-single-keys="off"` on <html> (the key hints for those keys are hidden then). */
export function applySingleKeys(on: boolean, root: HTMLElement = document.documentElement): void {
  if (on) root.removeAttribute('data-single-keys');
  else root.setAttribute('data-single-keys', 'off');
}

/** Whether single-key shortcuts are on now (read from the page, where Settings applies them). */
export function singleKeysOn(root: HTMLElement = document.documentElement): boolean {
  return root.getAttribute('data-single-keys') !== 'off';
}

/**
 * A key that, as a shortcut, is one character with no Ctrl, Alt or Meta (Shift makes "?"), away
 * from a text field: what turning single-key shortcuts off silences. Enter, Esc, F1, the arrows
 * and Ctrl+1… stay, as they are not characters.
 */
export function isSingleKeyShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target'>): boolean {
  if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey) return false;
  const t = e.target as { tagName?: string; isContentEditable?: boolean } | null;
  return !(t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName ?? '')));
}
