// A fake Backend for Vitest: every call is a vi.fn; tests override what they need.
import { vi } from 'vitest';
import type { Backend, LevelUpdate, Take } from './backend';

export function sampleTake(patch: Partial<Take> = {}): Take {
  return {
    id: 'a'.repeat(32),
    question_id: 'q',
    parent_id: null,
    pushback: null,
    round_id: null,
    status: 'complete',
    started_at: '2026-11-26T10:00:00Z',
    duration_ms: 3000,
    device_name: 'Mic',
    error: null,
    lost: { seconds: 0, places: 0, spans: [] },
    ...patch,
  };
}

export interface FakeBackend {
  backend: Backend;
  /** Sends a level update to the take or mic check started last. */
  emit: (u: Partial<LevelUpdate>) => void;
}

export function fakeBackend(overrides: Partial<Backend> = {}): FakeBackend {
  let onLevel: ((u: LevelUpdate) => void) | null = null;
  let n = 0;
  const backend: Backend = {
    startup: vi.fn(async () => ({ recovered: [], data_error: null })),
    questionTakes: vi.fn(async () => []),
    takeAudio: vi.fn(),
    listDevices: vi.fn(async () => []),
    getSettings: vi.fn(),
    setSettings: vi.fn(async () => {}),
    startMicCheck: vi.fn(async (cb) => {
      onLevel = cb;
      return { device_name: 'Mic', fell_back: false };
    }),
    stopMicCheck: vi.fn(async () => {}),
    startRecording: vi.fn(async (req, cb) => {
      onLevel = cb;
      n += 1;
      return { take_id: `${req.question_id}-${n}`.padEnd(32, '0'), device_name: 'Mic', fell_back: false };
    }),
    stopRecording: vi.fn(async () => ({ take: sampleTake(), problem: null })),
    home: vi.fn(),
    question: vi.fn(),
    pushback: vi.fn(async () => null),
    bankInfo: vi.fn(),
    library: vi.fn(async () => []),
    addQuestion: vi.fn(),
    updateQuestion: vi.fn(),
    deleteQuestion: vi.fn(async () => {}),
    setQuestionHidden: vi.fn(async () => {}),
    importQuestions: vi.fn(async () => []),
    exportQuestions: vi.fn(async () => ''),
    startRound: vi.fn(),
    endRound: vi.fn(async () => {}),
    reviewQueue: vi.fn(async () => ({ total: 0, takes: [] })),
    discardTake: vi.fn(async () => {}),
    takeReview: vi.fn(),
    deliveryByWeek: vi.fn(async () => []),
    rubric: vi.fn(),
    ratingDraft: vi.fn(async () => null),
    saveRatingDraft: vi.fn(async () => 'r'.repeat(32)),
    finalizeRating: vi.fn(),
    takeRatings: vi.fn(async () => []),
    previousRating: vi.fn(async () => null),
    questionCommitment: vi.fn(async () => null),
    reviewedAnswers: vi.fn(async () => ({ total: 0, takes: [] })),
    addMarker: vi.fn(async (takeId, atS, tag, note) => ({ id: 'm'.repeat(32), take_id: takeId, at_s: atS, tag, note })),
    updateMarker: vi.fn(async () => {}),
    deleteMarker: vi.fn(async () => {}),
    markers: vi.fn(async () => []),
    dataOverview: vi.fn(async () => ({ recordings: { total_kib: 0, total: 0, recordings: [] }, backups: [] })),
    recordings: vi.fn(async () => ({ total_kib: 0, total: 0, recordings: [] })),
    exportRatings: vi.fn(async (format) => (format === 'Csv' ? 'candor-ratings.csv' : 'candor-ratings.json')),
    createBackup: vi.fn(async () => ({ file_name: 'candor-backup-2026-11-27.candorbackup', recordings: 0, kib: 1 })),
    restoreBackup: vi.fn(async () => ({ recordings: 0, created_at: '2026-11-27T03:00:00Z' })),
    deleteTakeAudio: vi.fn(async () => {}),
    restoreChosenBackup: vi.fn(async () => null),
    progressOverview: vi.fn(async () => ({ weeks: [], weakest: null, calibration: [], days: [] })),
    history: vi.fn(async () => []),
    questionHistory: vi.fn(async () => []),
    watchClose: vi.fn(async () => {}),
    setLeaveGuard: vi.fn(async () => {}),
    closeWindow: vi.fn(async () => {}),
    ...overrides,
  };
  const emit = (u: Partial<LevelUpdate>) =>
    onLevel?.({ peak_milli: 0, rms_milli: 0, elapsed_ms: 0, silent: false, ended: false, ...u });
  return { backend, emit };
}
