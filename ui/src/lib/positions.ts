// My positions: what the user thinks about each reading item, kept in their own words. The
// confidence choices and their words, and the saving of one item's form (debounced while typing,
// at once when a field is left), kept out of the components so they can be tested.
import { toBackendError, type Backend, type BackendError, type Position } from './backend';
import { inputProblems } from './messages';

/** The confidence steps offered, in percent (null: not said). */
export const CONFIDENCE_STEPS: readonly number[] = [10, 20, 30, 40, 50, 60, 70, 80, 90];

/** One choice of the "How sure are you?" select. */
export interface ConfidenceChoice {
  /** The select's value: '' for "Not said", else the percent as text. */
  value: string;
  label: string;
}

/** "70%", or "Not said". */
export function confidenceLabel(confidence: number | null): string {
  return confidence === null ? 'Not said' : `${confidence}%`;
}

/**
 * The choices of the select: "Not said", then 10% to 90%. A stored value off those steps (written
 * from the terminal, say) is offered too, in its place, so the select can show it.
 */
export function confidenceChoices(current: number | null = null): ConfidenceChoice[] {
  const steps = [...CONFIDENCE_STEPS];
  if (current !== null && !steps.includes(current)) steps.push(current);
  steps.sort((a, b) => a - b);
  return [{ value: '', label: confidenceLabel(null) }, ...steps.map((n) => ({ value: String(n), label: confidenceLabel(n) }))];
}

/** The select's value for a confidence, and back. */
export function confidenceValue(confidence: number | null): string {
  return confidence === null ? '' : String(confidence);
}

export function parseConfidence(value: string): number | null {
  if (value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : null;
}

/** The fields a person writes (what is compared and saved). */
export type PositionFields = Pick<Position, 'view' | 'confidence' | 'would_change' | 'question'>;

/** The same position once Candor trims it (as it does when saving). */
export function sameFields(a: PositionFields, b: PositionFields): boolean {
  return (
    a.view.trim() === b.view.trim() &&
    a.confidence === b.confidence &&
    a.would_change.trim() === b.would_change.trim() &&
    a.question.trim() === b.question.trim()
  );
}

/** Nothing written (saving it removes the position). */
export function isEmpty(p: PositionFields): boolean {
  return sameFields(p, { view: '', confidence: null, would_change: '', question: '' });
}

/** Where saving one item stands. */
export type SaveStatus =
  | { kind: 'idle' }
  /** Changed; saved when the person pauses or leaves the field. */
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; cleared: boolean }
  /** Not saved: why, in Candor's words, and the field it is about when known. */
  | { kind: 'failed'; text: string; field?: string };

/** The words shown beside an item for its status ('' when there is nothing to say). */
export function statusText(s: SaveStatus): string {
  switch (s.kind) {
    case 'idle':
      return '';
    case 'pending':
      return 'Not saved yet…';
    case 'saving':
      return 'Saving…';
    case 'saved':
      return s.cleared ? 'Cleared' : 'Saved';
    case 'failed':
      return `Not saved. ${s.text}`;
  }
}

/** How long typing pauses before a change is saved. */
export const SAVE_DELAY_MS = 800;

/**
 * Saves one reading item's position as the person writes it: `edit` after every change (saved
 * once typing pauses), `flush` when a field is left or the screen closes (saved at once). Saves
 * never overlap: a change made while one runs is saved after it. An unchanged position is not
 * written again.
 */
export class PositionSaver {
  private stored: Position;
  private latest: Position;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private _status: SaveStatus = { kind: 'idle' };

  constructor(
    private readonly backend: Pick<Backend, 'savePosition'>,
    initial: Position,
    private readonly onstatus: (s: SaveStatus, stored: Position) => void,
    /** Errors other than a refused value (those are said beside the item). */
    private readonly onerror: (e: BackendError) => void,
    private readonly delayMs = SAVE_DELAY_MS,
  ) {
    this.stored = { ...initial };
    this.latest = { ...initial };
  }

  get status(): SaveStatus {
    return this._status;
  }

  /** The position as Candor last stored it. */
  get saved(): Position {
    return this.stored;
  }

  /** The person changed a field: save once they pause. */
  edit(fields: PositionFields): void {
    this.latest = { ...this.latest, ...fields };
    this.dirty = true;
    this.clearTimer();
    if (this._status.kind !== 'saving') this.set({ kind: 'pending' });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Saves now what is not saved yet (after the save under way, if any). */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.running) await this.running;
    if (!this.dirty) return;
    this.dirty = false;
    const next = { ...this.latest };
    if (sameFields(next, this.stored)) {
      this.set(this.stored.updated_at ? { kind: 'saved', cleared: false } : { kind: 'idle' });
      return;
    }
    this.set({ kind: 'saving' });
    this.running = this.save(next);
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  /** Stops the pending timer and saves what is left (the screen is closing). */
  dispose(): Promise<void> {
    return this.flush();
  }

  private async save(next: Position): Promise<void> {
    try {
      const stored = await this.backend.savePosition(next);
      this.stored = stored;
      // A change made meanwhile waits for its own save; say so rather than "Saved".
      if (this.dirty) this.set({ kind: 'pending' });
      else this.set({ kind: 'saved', cleared: isEmpty(stored) });
    } catch (e) {
      const be = toBackendError(e);
      if (be.code === 'InvalidInput') {
        const found = inputProblems(be);
        const field = found.find((p) => p.field)?.field;
        this.set({ kind: 'failed', text: found.map((p) => p.text).join(' '), ...(field ? { field } : {}) });
      } else {
        this.set({ kind: 'failed', text: 'Candor will try again when you next change it.' });
        this.onerror(be);
      }
    }
  }

  private set(s: SaveStatus): void {
    this._status = s;
    this.onstatus(s, this.stored);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
