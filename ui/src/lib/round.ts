// A timed mock round: N questions, each with one push-back, under one round clock.
import { toBackendError, type Backend, type BackendError, type Round } from './backend';

export interface RoundState {
  round: Round;
  /** 0-based index of the question on screen. */
  index: number;
  /** Seconds left on the round clock (never below 0). */
  remainingS: number;
  /** True once the clock ran out: the current question is the last. */
  timeUp: boolean;
  /** True once the round ended and its answers went to the review queue. */
  ended: boolean;
}

/** "Question N of M", always visible during a round. */
export function progressLabel(s: Pick<RoundState, 'index' | 'round'>): string {
  return `Question ${s.index + 1} of ${s.round.questions.length}`;
}

/** Drives the round: the clock, moving to the next question, ending. */
export class RoundSession {
  private state: RoundState;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly startedAt: number;

  constructor(
    private readonly backend: Backend,
    round: Round,
    private readonly onChange: (s: RoundState) => void,
    private readonly onError: (e: BackendError) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.state = { round, index: 0, remainingS: round.length_s, timeUp: false, ended: false };
    this.timer = setInterval(() => this.tick(), 250);
    this.onChange(this.state);
  }

  get current(): RoundState {
    return this.state;
  }

  private set(patch: Partial<RoundState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  private tick(): void {
    const elapsed = Math.floor((this.now() - this.startedAt) / 1000);
    const remainingS = Math.max(0, this.state.round.length_s - elapsed);
    if (remainingS !== this.state.remainingS || (remainingS === 0 && !this.state.timeUp)) {
      this.set({ remainingS, timeUp: remainingS === 0 });
    }
  }

  /** The current question is done: show the next, or end the round (last one, or time is up). */
  async next(): Promise<void> {
    if (this.state.ended) return;
    const last = this.state.index + 1 >= this.state.round.questions.length;
    if (last || this.state.timeUp) await this.end();
    else this.set({ index: this.state.index + 1 });
  }

  /** Ends the round now; answers given so far wait for review as one round. */
  async end(): Promise<void> {
    if (this.state.ended) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      await this.backend.endRound(this.state.round.id);
    } catch (e) {
      this.onError(toBackendError(e));
    }
    this.set({ ended: true });
  }

  /** Stops the clock without ending (the window is closing). */
  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
