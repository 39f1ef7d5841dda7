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
