// Leaving is always safe: while a take records, or a mock round runs, going elsewhere (the
// navigation bar, its keys, closing the window) asks first what to do with the take or the round.

/** The screens the navigation bar leads to. */
export type Destination = 'home' | 'review' | 'progress' | 'library' | 'positions' | 'settings' | 'data';

/** The navigation bar, in order, with the digit of its Ctrl key. */
export const DESTINATIONS: { name: Destination; label: string; key: string }[] = [
  { name: 'home', label: 'Home', key: '1' },
  { name: 'review', label: 'Review', key: '2' },
  { name: 'progress', label: 'Progress', key: '3' },
  { name: 'library', label: 'Library', key: '4' },
  { name: 'positions', label: 'Positions', key: '5' },
  { name: 'settings', label: 'Settings', key: '6' },
  { name: 'data', label: 'Your data', key: '7' },
];

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey' | 'repeat'>;

/** Ctrl+1 to Ctrl+7 (⌘ on a Mac) go to a screen of the navigation bar, even from a field. */
export function navKey(e: KeyLike): Destination | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.repeat) return null;
  return DESTINATIONS.find((d) => d.key === e.key)?.name ?? null;
}

/** Something recording that leaving would interrupt (a practice screen registers one). */
export interface TakeInProgress {
  /** A take is recording now (or starting or stopping). */
  readonly recording: boolean;
  /** Stops the take and keeps it, or deletes it when `keep` is false. */
  stop(keep: boolean): Promise<void>;
}

/** What the practice screens register, so the shell can ask before anyone leaves mid-take. */
export class LeaveGuard {
  private readonly takes = new Set<TakeInProgress>();

  /** Registers a take source; returns the function that unregisters it. */
  register(t: TakeInProgress): () => void {
    this.takes.add(t);
    return () => this.takes.delete(t);
  }

  /** A take is recording somewhere. */
  get recording(): boolean {
    return [...this.takes].some((t) => t.recording);
  }

  /** Stops every take recording (keeps or deletes each). */
  async stop(keep: boolean): Promise<void> {
    await Promise.all([...this.takes].filter((t) => t.recording).map((t) => t.stop(keep)));
  }
}

/** What leaving would interrupt. */
export type Interruption = { kind: 'take'; inRound: boolean } | { kind: 'round' };

/**
 * What to ask before leaving: a take recording comes first, then a mock round on screen that has
 * not ended; null when leaving interrupts nothing.
 */
export function interruption(recording: boolean, round: { onScreen: boolean; ended: boolean } | null): Interruption | null {
  const inRound = !!round && round.onScreen && !round.ended;
  if (recording) return { kind: 'take', inRound };
  if (inRound) return { kind: 'round' };
  return null;
}

/** A person's answer to the question. */
export type LeaveChoice = 'keep' | 'discard' | 'stay' | 'leave';

export interface LeaveQuestion {
  title: string;
  text: string;
  /** In order on the buttons; the last is the safe default (focused, Esc). */
  choices: { choice: LeaveChoice; label: string; style: 'primary' | 'danger' | 'plain' }[];
}

/** The question asked, in words, for what leaving interrupts. */
export function leaveQuestion(i: Interruption, closing = false): LeaveQuestion {
  if (i.kind === 'take') {
    const after = closing
      ? 'Candor closes once the take is stopped.'
      : i.inRound
        ? 'The round waits for you: Home shows Resume round.'
        : '';
    return {
      title: 'You are recording',
      text: `Leaving stops this take. Keep what you have recorded so far, or discard it? ${after}`.trim(),
      choices: [
        { choice: 'keep', label: 'Stop and keep', style: 'primary' },
        { choice: 'discard', label: 'Discard', style: 'danger' },
        { choice: 'stay', label: 'Keep recording', style: 'plain' },
      ],
    };
  }
  return {
    title: 'Leave the mock round?',
    text: closing
      ? 'Closing Candor ends the round; your answers so far wait for review.'
      : 'The round clock stops while you are away. Resume round on Home brings you back to this question.',
    choices: [
      { choice: 'leave', label: closing ? 'End it and close' : 'Leave for now', style: 'primary' },
      { choice: 'stay', label: 'Stay in the round', style: 'plain' },
    ],
  };
}
