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
  type TakeReview_Serialize,
  type ProgressPeriod,
  type WeekDelivery_Serialize,
  type Metrics_Serialize,
  type Pause,
  type Take_Serialize,
  type Rubric,
  type RubricCriterion,
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
export type { Rubric, RubricCriterion, RatingKind, CheckAnswer, CheckMark, FeelingMark };
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

/** An AppError from Rust, thrown so callers can `catch` it and switch on `code`. */
export class BackendError extends Error {
  readonly code: AppError['code'] | 'Unexpected';
  /** For a refused question file: each problem with its line and column. */
  readonly problems: AppError['problems'];
  constructor(err: Omit<AppError, 'problems'> & Partial<Pick<AppError, 'problems'>> | { code: 'Unexpected'; message: string }) {
    super(err.message);
    this.code = err.code;
    this.problems = 'problems' in err && Array.isArray(err.problems) ? err.problems : [];
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

async function unwrap<T>(p: Promise<{ status: 'ok'; data: T } | { status: 'error'; error: AppError }>): Promise<T> {
  let r: Awaited<typeof p>;
  try {
    r = await p;
  } catch (e) {
    throw toBackendError(e);
  }
  if (r.status === 'error') throw new BackendError(r.error);
  return r.data;
}

/** The calls the UI makes; an interface so tests can pass a fake. */
export interface Backend {
  startup(): Promise<Startup>;
  /** Every take of one question (answers and follow-ups), newest first. */
  questionTakes(questionId: string): Promise<Take[]>;
  startRecording(request: TakeRequest, onLevel: (u: LevelUpdate) => void): Promise<RecordingStarted>;
  stopRecording(): Promise<RecordingStopped>;
  takeAudio(takeId: string): Promise<ArrayBuffer>;
  listDevices(): Promise<Device[]>;
  getSettings(): Promise<Settings>;
  setSettings(s: Settings): Promise<void>;
  startMicCheck(onLevel: (u: LevelUpdate) => void): Promise<MicCheck>;
  stopMicCheck(): Promise<void>;
  home(): Promise<Home>;
  question(id: string): Promise<Question>;
  pushback(questionId: string, index: number): Promise<string | null>;
  bankInfo(): Promise<BankInfo>;
  library(): Promise<LibraryEntry[]>;
  addQuestion(draft: QuestionDraft): Promise<Question>;
  updateQuestion(id: string, draft: QuestionDraft): Promise<Question>;
  deleteQuestion(id: string): Promise<void>;
  setQuestionHidden(id: string, hidden: boolean): Promise<void>;
  importQuestions(fileName: string, text: string): Promise<Question[]>;
  exportQuestions(): Promise<string>;
  startRound(): Promise<Round>;
  endRound(id: string): Promise<void>;
  /** `limit` answers waiting for review (oldest first) after the first `offset`, and how many wait. */
  reviewQueue(offset: number, limit: number): Promise<TakePage>;
  discardTake(id: string): Promise<void>;
  takeReview(answerId: string): Promise<TakeReview>;
  deliveryByWeek(period: ProgressPeriod): Promise<WeekDelivery[]>;
  rubric(): Promise<Rubric>;
  ratingDraft(takeId: string, kind: RatingKind): Promise<Rating | null>;
  saveRatingDraft(input: RatingInput): Promise<string>;
  finalizeRating(input: RatingInput): Promise<Rating>;
  takeRatings(takeId: string): Promise<Rating[]>;
  previousRating(takeId: string): Promise<Rating | null>;
  questionCommitment(questionId: string): Promise<string | null>;
  /** `limit` reviewed answers (newest first) after the first `offset`, and how many there are. */
  reviewedAnswers(offset: number, limit: number): Promise<TakePage>;
  addMarker(takeId: string, atS: number, tag: string | null, note: string): Promise<Marker>;
  updateMarker(id: string, tag: string | null, note: string): Promise<void>;
  deleteMarker(id: string): Promise<void>;
  markers(takeId: string): Promise<Marker[]>;
  // Your data: export, backup, restore, recordings.
  dataOverview(): Promise<DataOverview>;
  /** The room recordings use, and `limit` takes after the newest `offset`. */
  recordings(offset: number, limit: number): Promise<RecordingsPage>;
  exportRatings(format: ExportFormat): Promise<string>;
  createBackup(onProgress: (p: BackupProgress) => void): Promise<BackupMade>;
  restoreBackup(fileName: string, onProgress: (p: BackupProgress) => void): Promise<Restored>;
  deleteTakeAudio(takeId: string): Promise<void>;
  /** Opens the system's file chooser; null when the user cancels it. */
  restoreChosenBackup(onProgress: (p: BackupProgress) => void): Promise<Restored | null>;
  progressOverview(period: ProgressPeriod): Promise<ProgressOverview>;
  /** Every question answered, latest first, with its newest `perQuestion` answers. */
  history(perQuestion: number): Promise<QuestionHistory[]>;
  /** `limit` more of one question's answers after its newest `offset`. */
  questionHistory(questionId: string, offset: number, limit: number): Promise<HistoryTake[]>;
  /** Calls `onClose` when the user asks to close the window while the guard is set. */
  watchClose(onClose: () => void): Promise<void>;
  /** Whether closing the window must ask first (a take records or a round runs). */
  setLeaveGuard(active: boolean): Promise<void>;
  /** Closes the window (after the user answered). */
  closeWindow(): Promise<void>;
}

function progressChannel(onProgress: (p: BackupProgress) => void): Channel<BackupProgress> {
  const channel = new Channel<BackupProgress>();
  channel.onmessage = onProgress;
  return channel;
}

function levelChannel(onLevel: (u: LevelUpdate) => void): Channel<LevelUpdate> {
  const channel = new Channel<LevelUpdate>();
  channel.onmessage = onLevel;
  return channel;
}

/** The real backend over Tauri IPC. */
export const tauriBackend: Backend = {
  startup: () => commands.startup(),
  questionTakes: (questionId) => unwrap(commands.questionTakes(questionId)),
  startRecording: (request, onLevel) => unwrap(commands.startRecording(request, levelChannel(onLevel))),
  home: () => unwrap(commands.home()),
  question: (id) => unwrap(commands.question(id)),
  pushback: (questionId, index) => unwrap(commands.pushback(questionId, index)),
  bankInfo: () => unwrap(commands.bankInfo()),
  library: () => unwrap(commands.library()),
  addQuestion: (draft) => unwrap(commands.addQuestion(draft)),
  updateQuestion: (id, draft) => unwrap(commands.updateQuestion(id, draft)),
  deleteQuestion: async (id) => {
    await unwrap(commands.deleteQuestion(id));
  },
  setQuestionHidden: async (id, hidden) => {
    await unwrap(commands.setQuestionHidden(id, hidden));
  },
  importQuestions: (fileName, text) => unwrap(commands.importQuestions(fileName, text)),
  exportQuestions: () => unwrap(commands.exportQuestions()),
  startRound: () => unwrap(commands.startRound()),
  endRound: async (id) => {
    await unwrap(commands.endRound(id));
  },
  reviewQueue: (offset, limit) => unwrap(commands.reviewQueue(offset, limit)),
  discardTake: async (id) => {
    await unwrap(commands.discardTake(id));
  },
  takeReview: (answerId) => unwrap(commands.takeReview(answerId)),
  deliveryByWeek: (period) => unwrap(commands.deliveryByWeek(period)),
  rubric: () => unwrap(commands.rubric()),
  ratingDraft: (takeId, kind) => unwrap(commands.ratingDraft(takeId, kind)),
  saveRatingDraft: (input) => unwrap(commands.saveRatingDraft(input)),
  finalizeRating: (input) => unwrap(commands.finalizeRating(input)),
  takeRatings: (takeId) => unwrap(commands.takeRatings(takeId)),
  previousRating: (takeId) => unwrap(commands.previousRating(takeId)),
  questionCommitment: (questionId) => unwrap(commands.questionCommitment(questionId)),
  reviewedAnswers: (offset, limit) => unwrap(commands.reviewedAnswers(offset, limit)),
  addMarker: (takeId, atS, tag, note) => unwrap(commands.addMarker(takeId, atS, tag, note)),
  updateMarker: async (id, tag, note) => {
    await unwrap(commands.updateMarker(id, tag, note));
  },
  deleteMarker: async (id) => {
    await unwrap(commands.deleteMarker(id));
  },
  markers: (takeId) => unwrap(commands.markers(takeId)),
  progressOverview: (period) => unwrap(commands.progressOverview(period)),
  history: (perQuestion) => unwrap(commands.history(perQuestion)),
  questionHistory: (questionId, offset, limit) => unwrap(commands.questionHistory(questionId, offset, limit)),
  watchClose: async (onClose) => {
    const channel = new Channel<null>();
    channel.onmessage = () => onClose();
    await commands.watchClose(channel);
  },
  setLeaveGuard: async (active) => {
    await commands.setLeaveGuard(active);
  },
  closeWindow: async () => {
    await unwrap(commands.closeWindow());
  },
  listDevices: () => unwrap(commands.listDevices()),
  getSettings: () => unwrap(commands.getSettings()),
  setSettings: async (s) => {
    await unwrap(commands.setSettings(s));
  },
  startMicCheck: (onLevel) => unwrap(commands.startMicCheck(levelChannel(onLevel))),
  stopMicCheck: async () => {
    await unwrap(commands.stopMicCheck());
  },
  stopRecording: () => unwrap(commands.stopRecording()),
  dataOverview: () => unwrap(commands.dataOverview()),
  recordings: (offset, limit) => unwrap(commands.recordings(offset, limit)),
  exportRatings: (format) => unwrap(commands.exportRatings(format)),
  createBackup: (onProgress) => unwrap(commands.createBackup(progressChannel(onProgress))),
  restoreBackup: (fileName, onProgress) => unwrap(commands.restoreBackup(fileName, progressChannel(onProgress))),
  deleteTakeAudio: async (takeId) => {
    await unwrap(commands.deleteTakeAudio(takeId));
  },
  restoreChosenBackup: (onProgress) => unwrap(commands.restoreChosenBackup(progressChannel(onProgress))),
  // Raw bytes have no generated binding: `take_audio` returns an ArrayBuffer.
  takeAudio: async (takeId) => {
    try {
      return await invoke<ArrayBuffer>('take_audio', { takeId });
    } catch (e) {
      throw toBackendError(e);
    }
  },
};
