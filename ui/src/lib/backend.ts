// The one seam between the UI and Rust: wraps the generated commands, throws typed errors.
import { Channel, invoke } from '@tauri-apps/api/core';
import {
  commands,
  type AppError,
  type BankInfo,
  type Category,
  type Device,
  type Home_Serialize,
  type LevelUpdate,
  type LibraryEntry,
  type MicCheck,
  type Question,
  type QuestionDraft,
  type RecordingStarted,
  type RecordingStopped_Serialize,
  type Round,
  type Settings_Serialize,
  type Startup_Serialize,
  type TakeRequest_Deserialize,
  type TranscriptionStatus,
  type DownloadProgress,
  type OfferedModel_Serialize,
  type Offered_Serialize,
  type TranscriptionStatus_Serialize,
  type Transcript_Serialize,
  type EvidenceHints_Serialize,
  type Hint_Serialize,
  type WordDelivery_Serialize,
  type Repeat,
  type TranscriptMatch,
  type TranscriptFailure,
  type ModelEntry,
  type Word,
  type Segment,
  type Heard,
  type TakeReview_Serialize,
  type ProgressPeriod,
  type WeekDelivery_Serialize,
  type Metrics_Serialize,
  type Pause,
  type Take_Serialize,
  type Rubric,
  type RubricCriterion,
  type RubricRedFlag,
  type RatingKind,
  type CheckAnswer,
  type CheckMark,
  type FeelingMark,
  type Rating_Serialize,
  type RatingInput_Deserialize,
  type Marker_Serialize,
  type DataOverview_Serialize,
  type RecordingUsage_Serialize,
  type BackupProgress,
  type BackupMade,
  type Restored,
  type ExportFormat,
  type ProgressOverview_Serialize,
  type HistoryTake,
  type TakePage_Serialize,
  type RecordingsPage_Serialize,
  type QuestionHistory,
  type WeekScores_Serialize,
  type Weakest_Serialize,
  type WeekCalibration_Serialize,
  type PracticeDay,
  type CheckTally,
  type ReviewState,
  type SuggestionReason,
  type Position_Serialize,
  type PositionItem_Serialize,
  type AnchoredScore,
  type CriterionCalibration_Serialize,
  type CriterionRating_Serialize,
  type DroppedOpinion_Serialize,
  type ImportedOpinion,
  type Opinion_Serialize,
  type SharedPage,
} from './bindings';

export type {
  AppError,
  BankInfo,
  Category,
  Device,
  LevelUpdate,
  LibraryEntry,
  MicCheck,
  Question,
  QuestionDraft,
  RecordingStarted,
  Round,
};
/** What Home shows. */
export type Home = Home_Serialize;
/** The review of one answer. */
export type TakeReview = TakeReview_Serialize;
export type { Pause, ProgressPeriod };
/** One week of practice and delivery. */
export type WeekDelivery = WeekDelivery_Serialize;
/** Delivery metrics of a take. */
export type Metrics = Metrics_Serialize;
/** What a new take answers (optional fields may be left out). */
export type TakeRequest = TakeRequest_Deserialize;
export type Settings = Settings_Serialize;
export type Take = Take_Serialize;
export type RecordingStopped = RecordingStopped_Serialize;
export type Startup = Startup_Serialize;
export type { Rubric, RubricCriterion, RubricRedFlag, RatingKind, CheckAnswer, CheckMark, FeelingMark };
/** A stored rating (draft or saved). */
export type Rating = Rating_Serialize;
/** What the user entered for a rating. */
export type RatingInput = RatingInput_Deserialize;
/** A moment marked in a take. */
export type Marker = Marker_Serialize;

/** What the "Your data" screen shows. */
export type DataOverview = DataOverview_Serialize;
/** One take's recording on disk. */
export type RecordingUsage = RecordingUsage_Serialize;
/** The room recordings use, and a page of takes. */
export type RecordingsPage = RecordingsPage_Serialize;
/** A page of a long list of takes, and how many the list holds. */
export type TakePage = TakePage_Serialize;
export type { BackupProgress, BackupMade, Restored, ExportFormat };

/** Everything the progress screen shows for a period. */
export type ProgressOverview = ProgressOverview_Serialize;
/** One week of practice and review scores. */
export type WeekScores = WeekScores_Serialize;
/** The weakest criterion and its most missed checks. */
export type Weakest = Weakest_Serialize;
/** One week of quick vs reviewed vs re-grade scores. */
export type WeekCalibration = WeekCalibration_Serialize;
export type { HistoryTake, QuestionHistory, PracticeDay, CheckTally, ReviewState, SuggestionReason };
/** A take's words as a model heard them, with fillers, voiced uncertainty and delivery. */
export type Transcript = Transcript_Serialize;
export type { TranscriptMatch, TranscriptFailure, ModelEntry, Word, Segment, Heard, TranscriptionStatus };
/** Hints for the rating steps of an answer, read from its words and its replies'. */
export type EvidenceHints = EvidenceHints_Serialize;
/** One sentence a hint points at. */
export type Hint = Hint_Serialize;
/** A take's delivery read from its words (pace, fillers, repeated phrases). */
export type WordDelivery = WordDelivery_Serialize;
export type { Repeat };
/** How far a model download is, in bytes (`total` null when the server does not say). */
export type { DownloadProgress };
/** A model Candor offers to download, whether it is here, and what an interrupted download kept. */
export type OfferedModel = OfferedModel_Serialize;
/** A model Candor offers to download (file, title, address, SHA-1, size in MiB, about). */
export type Offered = Offered_Serialize;
/** What background transcription is doing, every field present (as Rust sends it). */
export type TranscriberStatus = TranscriptionStatus_Serialize;
/** The user's position on one reading item (My positions). */
export type Position = Position_Serialize;
/** One reading item with the user's position on it. */
export type PositionItem = PositionItem_Serialize;

/** One criterion rated again with the example answers in mind. */
export type { AnchoredScore, ImportedOpinion, SharedPage };
/** An outside rater's rating of one answer, as imported from their answer file. */
export type Opinion = Opinion_Serialize;
/** One criterion of a rating: score, note and checks. */
export type CriterionRating = CriterionRating_Serialize;
/** What came of an answer file dropped on the window: what it added, or why it was refused. */
export type DroppedOpinion = DroppedOpinion_Serialize;
/** One criterion's reviews beside the other ways the same answers were rated. */
export type CriterionCalibration = CriterionCalibration_Serialize;

/** An AppError from Rust, thrown so callers can `catch` it and switch on `code`. */
export class BackendError extends Error {
  readonly code: AppError['code'] | 'Unexpected';
  /** For a refused question file: each problem with its line and column. */
  readonly problems: AppError['problems'];
  /** For a refused question of the user's: each problem with its field. */
  readonly fields: AppError['fields'];
  constructor(
    err:
      | (Omit<AppError, 'problems' | 'fields'> & Partial<Pick<AppError, 'problems' | 'fields'>>)
      | { code: 'Unexpected'; message: string },
  ) {
    super(err.message);
    this.code = err.code;
    this.problems = 'problems' in err && Array.isArray(err.problems) ? err.problems : [];
    this.fields = 'fields' in err && Array.isArray(err.fields) ? err.fields : [];
  }
}

/** Turns anything thrown into a BackendError with a readable message. */
export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return new BackendError(e as AppError);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new BackendError({ code: 'Unexpected', message: `Something went wrong: ${message}` });
}

/** A generated command's result: `{status, data}` / `{status, error}`, or a plain value. */
type Outcome = { status: 'ok'; data: unknown } | { status: 'error'; error: AppError };

function isOutcome(r: unknown): r is Outcome {
  if (!r || typeof r !== 'object' || !('status' in r)) return false;
  return (r.status === 'ok' && 'data' in r) || (r.status === 'error' && 'error' in r);
}

/** Runs one generated command: its data, or its AppError thrown as a BackendError. */
async function unwrap(p: Promise<unknown>): Promise<unknown> {
  let r: unknown;
  try {
    r = await p;
  } catch (e) {
    throw toBackendError(e);
  }
  if (!isOutcome(r)) return r;
  if (r.status === 'error') throw new BackendError(r.error);
  return r.data;
}

type Commands = typeof commands;
/** What a command gives when it succeeds (its error is thrown). */
type Data<R> = R extends { status: 'ok'; data: infer T } ? T : R extends { status: 'error' } ? never : R;
/** A generated command as the UI calls it: same arguments, the data returned, errors thrown. */
type Call<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<Data<R>> : never;
/** Commands that stream over a Channel: the UI passes a callback instead. */
type Streaming =
  | 'startRecording'
  | 'startMicCheck'
  | 'createBackup'
  | 'restoreBackup'
  | 'restoreChosenBackup'
  | 'watchClose'
  | 'watchTranscription'
  | 'watchDroppedOpinions'
  | 'downloadModel';

/**
 * The calls the UI makes; a type so tests can pass a fake. Every generated command is here as it
 * is (a new Rust command needs no line in this file); those that stream take a callback.
 */
export type Backend = { [K in Exclude<keyof Commands, Streaming>]: Call<Commands[K]> } & {
  startRecording(request: TakeRequest, onLevel: (u: LevelUpdate) => void): Promise<RecordingStarted>;
  startMicCheck(onLevel: (u: LevelUpdate) => void): Promise<MicCheck>;
  createBackup(onProgress: (p: BackupProgress) => void): Promise<BackupMade>;
  restoreBackup(fileName: string, onProgress: (p: BackupProgress) => void): Promise<Restored>;
  /** Opens the system's file chooser; null when the user cancels it. */
  restoreChosenBackup(onProgress: (p: BackupProgress) => void): Promise<Restored | null>;
  /** Calls `onClose` when the user asks to close the window while the guard is set. */
  watchClose(onClose: () => void): Promise<void>;
  /** Calls `onStatus` with the background transcriber's status now and at every change. */
  watchTranscription(onStatus: (s: TranscriptionStatus) => void): Promise<void>;
  /** Calls `onDrop` with what came of each answer file dropped on the window. */
  watchDroppedOpinions(onDrop: (d: DroppedOpinion) => void): Promise<void>;
  /** Downloads an offered model (its file name); progress comes to `onProgress`. The name added. */
  downloadModel(file: string, onProgress: (p: DownloadProgress) => void): Promise<string>;
  /** A take's WAV bytes (raw bytes have no generated binding). */
  takeAudio(takeId: string): Promise<ArrayBuffer>;
};

/** Every call a Backend has, by name (the generated commands and `takeAudio`). */
export const backendCalls: readonly (keyof Backend)[] = [...(Object.keys(commands) as (keyof Commands)[]), 'takeAudio'];

function channel<T>(on: (m: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = on;
  return c;
}

const generated = Object.fromEntries(
  Object.entries(commands).map(([name, f]) => [name, (...args: unknown[]) => unwrap((f as (...a: unknown[]) => Promise<unknown>)(...args))]),
) as unknown as Backend;

/** The real backend over Tauri IPC. */
export const tauriBackend: Backend = {
  ...generated,
  startRecording: (request, onLevel) => unwrap(commands.startRecording(request, channel(onLevel))) as Promise<RecordingStarted>,
  startMicCheck: (onLevel) => unwrap(commands.startMicCheck(channel(onLevel))) as Promise<MicCheck>,
  createBackup: (onProgress) => unwrap(commands.createBackup(channel(onProgress))) as Promise<BackupMade>,
  restoreBackup: (fileName, onProgress) => unwrap(commands.restoreBackup(fileName, channel(onProgress))) as Promise<Restored>,
  restoreChosenBackup: (onProgress) => unwrap(commands.restoreChosenBackup(channel(onProgress))) as Promise<Restored | null>,
  watchClose: async (onClose) => {
    await commands.watchClose(channel<null>(() => onClose()));
  },
  downloadModel: (file, onProgress) => unwrap(commands.downloadModel(file, channel(onProgress))) as Promise<string>,
  watchTranscription: async (onStatus) => {
    await commands.watchTranscription(channel(onStatus));
  },
  watchDroppedOpinions: async (onDrop) => {
    // Rust always sends both fields (null when empty); the generated input type marks them optional.
    await commands.watchDroppedOpinions(channel((d) => onDrop({ file_name: d.file_name, imported: d.imported ?? null, error: d.error ?? null })));
  },
  takeAudio: async (takeId) => {
    try {
      return await invoke<ArrayBuffer>('take_audio', { takeId });
    } catch (e) {
      throw toBackendError(e);
    }
  },
};
