/**
 * The keyboard shortcuts sheet: what each screen's keys do, in one list the "?" sheet shows.
 * The keys themselves are handled where they act (Home, practice.ts, wizard.ts, Review); the
 * tests hold this list to those handlers.
 */
import { DESTINATIONS } from './leave';

/** Ctrl+1 to Ctrl+<last>: the navigation bar's screens, in order (leave.ts handles them). */
const NAV_KEYS = [`Ctrl+${DESTINATIONS[0]?.key ?? '1'}`, `Ctrl+${DESTINATIONS[DESTINATIONS.length - 1]?.key ?? '1'}`];

/** "Home, Review, … or Your data". */
function navLabels(): string {
  const labels = DESTINATIONS.map((d) => d.label);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}` : (labels[0] ?? '');
}

/** One row of the sheet: the keys (any of them) and what they do. */
export interface Shortcut {
  keys: string[];
  action: string;
  /** Show the keys as a range, first to last ("1–5"), instead of one by one. */
  range?: boolean;
}

/** The shortcuts of one screen or step. */
export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

/** Everything the sheet lists, screen by screen. */
export const SHORTCUT_GROUPS: ShortcutGroup[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { keys: ['?', 'F1'], action: 'Show or hide this list' },
      { keys: NAV_KEYS, action: `Go to ${navLabels()} (asks first while you record)`, range: true },
      { keys: ['Tab'], action: 'Move between buttons and fields; Enter presses the focused button' },
    ],
  },
  {
    title: 'Home',
    shortcuts: [
      { keys: ['Enter'], action: 'Practice the suggested question' },
      { keys: ['M'], action: 'Start a mock round, or resume the one under way' },
      { keys: ['R'], action: 'Review the oldest answer waiting' },
    ],
  },
  {
    title: 'Practice',
    shortcuts: [
      { keys: ['Space'], action: 'Start or stop recording (the answer, then each reply)' },
      { keys: ['Enter', 'K'], action: 'Keep the answer you just recorded' },
      { keys: ['R'], action: 'Record the answer again (asks first: Y or Enter yes, N or Esc no)' },
      { keys: ['S'], action: 'Another push-back (this one does not fit)' },
      { keys: ['E', 'Esc'], action: 'Done with push-backs' },
      { keys: ['A'], action: 'Ask for another push-back' },
      { keys: ['Enter', 'F'], action: 'Finish the question' },
      { keys: ['R'], action: 'Once finished: review the answer now' },
    ],
  },
  {
    title: 'Review: replay',
    shortcuts: [
      { keys: ['Space'], action: 'Play or pause' },
      { keys: ['Shift+←', 'Shift+→'], action: 'Back or forward 5 seconds (← and → too, outside the rating steps)' },
      { keys: ['M'], action: 'Drop a marker at the playhead (at the start of the word said there, when there is a transcript)' },
      { keys: ['Esc'], action: 'Close the answer' },
    ],
  },
  {
    title: 'Review: transcript',
    shortcuts: [
      { keys: ['←', '→'], action: 'On a word: the word before or after (Home, End: the first or last)' },
      { keys: ['Enter'], action: 'Play from the word' },
      { keys: ['Shift+←', 'Shift+→'], action: 'Select words, to mark them' },
      { keys: ['Esc'], action: 'Drop the words selected' },
    ],
  },
  {
    title: 'Review: rating',
    shortcuts: [
      { keys: ['1', '2', '3', '4', '5'], action: 'Score the criterion of this step', range: true },
      { keys: ['Enter', '→'], action: 'Next step' },
      { keys: ['Enter'], action: 'On the last step: save, and open the next answer waiting' },
      { keys: ['←'], action: 'Previous step' },
    ],
  },
  {
    title: 'Library',
    shortcuts: [{ keys: ['Esc'], action: 'Cancel adding or editing a question' }],
  },
];

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'repeat' | 'target'>;

/** True for the keys that open or close the sheet ("?" or F1), unless typing in a field. */
export function isHelpKey(e: KeyLike): boolean {
  if (e.key !== '?' && e.key !== 'F1') return false;
  if (e.repeat || e.ctrlKey || e.altKey || e.metaKey) return false;
  const t = e.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName ?? ''))) return false;
  return true;
}
