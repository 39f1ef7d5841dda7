// Background transcription as the window follows it: the transcriber's latest status (the shell
// starts the watch once and hands the status to the screens), and the sentences that say what it
// means for a take shown in Review and for Settings.
import type { Backend, TranscriberStatus, TranscriptFailure, TranscriptionStatus } from './backend';

/** A status with every field present (Rust sends them all; the type allows them left out). */
export function normalizeStatus(s: TranscriptionStatus): TranscriberStatus {
  return {
    state: s.state,
    model: s.model ?? null,
    take_id: s.take_id ?? null,
    percent: s.percent,
    waiting: s.waiting,
    failed: s.failed,
    problem: s.problem ?? null,
    finished: s.finished ?? null,
  };
}

/**
 * The transcriber's status as it streams in: `start` opens the watch once (later calls return the
 * same promise); each subscriber gets the latest status at once, then every change.
 */
export class TranscriptionFeed {
  #latest: TranscriberStatus | null = null;
  #started: Promise<void> | null = null;
  readonly #listeners = new Set<(s: TranscriberStatus) => void>();

  /** The latest status; null until the first arrives. */
  get latest(): TranscriberStatus | null {
    return this.#latest;
  }

  /** Starts watching the transcriber (once). */
  start(backend: Pick<Backend, 'watchTranscription'>): Promise<void> {
    this.#started ??= backend.watchTranscription((s) => this.push(s));
    return this.#started;
  }

  /** A status received: kept, and passed to every subscriber. */
  push(s: TranscriptionStatus): void {
    const next = normalizeStatus(s);
    this.#latest = next;
    for (const f of [...this.#listeners]) f(next);
  }

  /** Calls `f` with the latest status (if any) and every later one; returns the unsubscribe. */
  subscribe(f: (s: TranscriberStatus) => void): () => void {
    this.#listeners.add(f);
    if (this.#latest) f(this.#latest);
    return () => this.#listeners.delete(f);
  }
}

/** How to turn transcripts on, wherever they are off. */
export const TURN_ON = 'To turn them on: Settings → Transcription → add a speech model.';

/** What a take without a transcript is waiting for. */
export type TakeTranscriptKind = 'checking' | 'deleted' | 'failed' | 'working' | 'waiting' | 'paused' | 'off' | 'problem' | 'none';

export interface TakeTranscriptStatus {
  kind: TakeTranscriptKind;
  /** The sentence shown where the transcript would be. */
  text: string;
}

/** A sentence ending in a full stop. */
function stop(s: string): string {
  const t = s.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

const takes = (n: number): string => `${n} take${n === 1 ? '' : 's'}`;

/**
 * Why a take shows no transcript, in a sentence: its audio is gone, its transcription failed
 * (with the reason), it is being transcribed (how far), it waits its turn, or transcripts are off
 * or their model unusable (and how to put that right).
 */
export function takeStatus(
  status: TranscriberStatus | null,
  takeId: string,
  opts: { failure?: TranscriptFailure | null; audioDeleted?: boolean } = {},
): TakeTranscriptStatus {
  if (opts.audioDeleted) return { kind: 'deleted', text: 'The recording of this take was deleted, so it has no transcript.' };
  if (opts.failure) return { kind: 'failed', text: `Transcribing this take failed: ${stop(opts.failure.reason)}` };
  if (!status) return { kind: 'checking', text: 'Looking for a transcript…' };
  switch (status.state) {
    case 'no_model':
      return { kind: 'off', text: `No transcript: transcripts are off until a speech model is added. ${TURN_ON}` };
    case 'model_problem':
      return {
        kind: 'problem',
        text: `No transcript: the speech model cannot be used${status.problem ? ` (${status.problem.trim().replace(/[.!]$/, '')})` : ''}. Choose or add another in Settings → Transcription.`,
      };
    case 'working':
      if (status.take_id === takeId) return { kind: 'working', text: `Transcribing… ${Math.round(status.percent)}%` };
      return { kind: 'waiting', text: `Waiting: ${takes(status.waiting)} in the queue, newest first.` };
    case 'paused':
      return { kind: 'paused', text: 'Transcribing waits while a take is being recorded.' };
    case 'idle':
      return { kind: 'none', text: 'No transcript of this take yet.' };
  }
}

/** The size of a model file, as the list shows it. */
export function modelSize(megabytes: number | null): string {
  return megabytes === null ? 'size unknown' : `${megabytes.toFixed(megabytes >= 100 ? 0 : 1)} MB`;
}

/** A model's speed on this machine: "4.2× faster than real time here (12 min heard)". */
export function modelSpeed(timesRealTime: number | null | undefined, minutesHeard: number | null | undefined): string {
  const heard = minutesHeard ?? 0;
  if (timesRealTime === null || timesRealTime === undefined || !Number.isFinite(timesRealTime)) {
    return heard > 0 ? 'speed here: measured after a minute of answers' : 'speed here: not measured yet';
  }
  const minutes = heard >= 10 ? heard.toFixed(0) : heard.toFixed(1);
  if (timesRealTime < 1) return `slower than real time here (${timesRealTime.toFixed(2)}×, ${minutes} min heard)`;
  return `${timesRealTime.toFixed(1)}× faster than real time here (${minutes} min heard)`;
}

/** How a model kept fillers in Candor's own test: "kept 6 of 7 fillers, 9.6 % words wrong". */
export function fillerFidelity(tested: { fillers_kept: number; fillers_said: number; word_error: number | null } | null | undefined): string {
  if (!tested) return 'fillers kept: not measured by Candor';
  const wrong = tested.word_error === null ? '' : `, ${tested.word_error.toFixed(1)} % of words wrong`;
  return `kept ${tested.fillers_kept} of ${tested.fillers_said} fillers in Candor's test${wrong}`;
}

/** What the transcriber is doing, in one line (Settings → Transcription). */
export function statusLine(status: TranscriberStatus | null): string {
  if (!status) return 'Checking…';
  const failed = status.failed > 0 ? ` ${takes(status.failed)} could not be transcribed (see below).` : '';
  const model = status.model ?? 'the chosen model';
  switch (status.state) {
    case 'no_model':
      return `Transcripts are off: no speech model has been added yet.${status.waiting > 0 ? ` ${takes(status.waiting)} will be transcribed once one is.` : ''}`;
    case 'idle':
      return `On: every take is transcribed on this computer with ${model}.${failed}`;
    case 'working':
      return `Transcribing a take with ${model}… ${Math.round(status.percent)}% (${takes(status.waiting)} waiting).${failed}`;
    case 'paused':
      return `Paused while a take is being recorded (${takes(status.waiting)} waiting).${failed}`;
    case 'model_problem':
      return `${model} cannot be used${status.problem ? `: ${stop(status.problem)}` : '.'} Choose or add another model below.`;
  }
}
