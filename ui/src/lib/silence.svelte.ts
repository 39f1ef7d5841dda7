// What the window says while the microphone gives only silence: this system's words, which core
// chooses (macOS and Windows give silence to an app they keep from the microphone) and the window
// learns at start-up. Until then, the words every system shares.

/** The warning shown before start-up has answered. */
export const SILENCE_FALLBACK = 'Candor hears only silence — check the microphone.';

/** The warning the microphone panels show (reactive: they update when start-up sets it). */
export const silence = $state({ warning: SILENCE_FALLBACK });

/** Takes the system's words from start-up (an empty answer keeps the fallback). */
export function setSilenceWarning(text: string): void {
  if (text.trim()) silence.warning = text;
}
