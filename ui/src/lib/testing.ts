// A fake Backend for Vitest: every call is a vi.fn; tests override what they need.
import { vi } from 'vitest';
import { backendCalls, type Backend, type LevelUpdate, type OfferedModel, type Take, type TranscriberStatus, type Transcript, type Word } from './backend';

export function sampleTake(patch: Partial<Take> = {}): Take {
  return {
    id: 'a'.repeat(32),
    question_id: 'q',
    parent_id: null,
    pushback: null,
    pushback_choice: null,
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

/** A transcript of the words given as [word, start, end] (the model, segments and cues filled in). */
export function sampleTranscript(words: [string, number, number][] = [['Hello', 0.5, 0.9], ['there.', 1.0, 1.4]], patch: Partial<Transcript> = {}): Transcript {
  const ws: Word[] = words.map(([word, start_s, end_s]) => ({ word, start_s, end_s, p: 0.9 }));
  return {
    model: { name: 'ggml-base.en.bin', sha256: 'ab'.repeat(32), bytes: 147_951_465 },
    text: ws.map((w) => w.word).join(' '),
    segments: ws.length ? [{ start_s: ws[0]!.start_s, end_s: ws[ws.length - 1]!.end_s, text: ws.map((w) => w.word).join(' ') }] : [],
    words: ws,
    fillers: [],
    hedges: [],
    delivery: {
      words: ws.length,
      fillers: 0,
      speaking_s: ws.length ? (ws[ws.length - 1]!.end_s ?? 0) - (ws[0]!.start_s ?? 0) : 0,
      words_per_min: null,
      fillers_per_min: null,
      longest_without_filler_s: ws.length ? (ws[ws.length - 1]!.end_s ?? 0) - (ws[0]!.start_s ?? 0) : 0,
      longest_without_filler_at_s: ws[0]?.start_s ?? 0,
      repeated: [],
      uncertainty: 0,
    },
    ...patch,
  };
}

/** A transcriber status (idle with a model unless patched). */
export function sampleStatus(patch: Partial<TranscriberStatus> = {}): TranscriberStatus {
  return { state: 'idle', model: 'ggml-base.en.bin', take_id: null, percent: 0, waiting: 0, failed: 0, problem: null, finished: null, ...patch };
}

/** A model offered for download (Base, recommended, not added, nothing kept unless patched). */
export function sampleOffered(patch: Partial<OfferedModel['offered']> = {}, rest: Partial<Omit<OfferedModel, 'offered'>> = {}): OfferedModel {
  return {
    offered: {
      name: 'ggml-base.bin',
      title: 'Base',
      url: 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.bin',
      sha1: '465707469ff3a37a2b9b8d8f89f2f99de7299dac',
      sha256: null,
      mib: 142,
      default: true,
      about: 'The one Candor recommends.',
      tested: null,
      ...patch,
    },
    added: false,
    partial_mb: null,
    ...rest,
  };
}

export interface FakeBackend {
  backend: Backend;
  /** Sends a level update to the take or mic check started last. */
  emit: (u: Partial<LevelUpdate>) => void;
}

/**
 * A fake of every call the Backend has (a new command needs no line here): each is a `vi.fn`,
 * resolving to null unless a default below or an override says otherwise.
 */
export function fakeBackend(overrides: Partial<Backend> = {}): FakeBackend {
  let onLevel: ((u: LevelUpdate) => void) | null = null;
  let n = 0;
  const defaults: Partial<Backend> = {
    startup: async () => ({ recovered: [], data_error: null, silence_warning: 'Candor hears only silence — check the microphone.' }),
    questionTakes: async () => [],
    listDevices: async () => [],
    startMicCheck: async (cb) => {
      onLevel = cb;
      return { device_name: 'Mic', fell_back: false };
    },
    startRecording: async (req, cb) => {
      onLevel = cb;
      n += 1;
      return { take_id: `${req.question_id}-${n}`.padEnd(32, '0'), device_name: 'Mic', fell_back: false };
    },
    stopRecording: async () => ({ take: sampleTake(), problem: null }),
    library: async () => [],
    importQuestions: async () => [],
    exportQuestions: async () => '',
    reviewQueue: async () => ({ total: 0, takes: [] }),
    deliveryByWeek: async () => [],
    evidenceHints: async () => ({ uncertainty: [], consequences: [], flags: [], untranscribed: 0 }),
    saveRatingDraft: async () => 'r'.repeat(32),
    takeRatings: async () => [],
    reviewedAnswers: async () => ({ total: 0, takes: [] }),
    addMarker: async (takeId, atS, tag, note) => ({ id: 'm'.repeat(32), take_id: takeId, at_s: atS, tag, note }),
    markers: async () => [],
    dataOverview: async () => ({ recordings: { total_kib: 0, total: 0, recordings: [] }, backups: [] }),
    recordings: async () => ({ total_kib: 0, total: 0, recordings: [] }),
    exportRatings: async (format) => (format === 'Csv' ? 'candor-ratings.csv' : 'candor-ratings.json'),
    createBackup: async () => ({ file_name: 'candor-backup-2026-11-27.candorbackup', recordings: 0, kib: 1 }),
    restoreBackup: async () => ({ recordings: 0, created_at: '2026-11-27T03:00:00Z' }),
    progressOverview: async () => ({ weeks: [], weakest: null, calibration: [], days: [] }),
    history: async () => [],
    questionHistory: async () => [],
    watchClose: async () => {},
    watchTranscription: async () => {},
    transcript: async () => null,
    findInTranscripts: async () => [],
    modelList: async () => [],
    transcriptFailures: async () => [],
    retryTranscriptions: async () => 0,
    chooseModel: async () => null,
    // The file chooser cancelled.
    importChosenModel: async () => null,
    offeredModels: async () => [],
    // Added at once, under the name asked for.
    downloadModel: async (file) => file,
    cancelDownload: async () => {},
    speak: async () => 'Finished',
    stopSpeaking: async () => {},
    voices: async () => ['English (America)'],
    // Second opinions: none yet; a page made at once; the file chooser cancelled.
    shareForOpinion: async (ids) => ({ file_name: 'candor-second-opinion-2026-11-27.html', takes: ids.length, bytes: 2_400_000, audio_bytes: 1_800_000 }),
    opinionsInDownloads: async () => [],
    importOpinion: async () => ({ rater: 'Sam', take_ids: ['a'.repeat(32)] }),
    importChosenOpinion: async () => null,
    watchDroppedOpinions: async () => {},
    takeOpinions: async () => [],
    anchoredScores: async () => [],
    saveAnchored: async () => null,
    criterionCalibration: async () => [],
  };
  // Calls whose value tests read from an override only (no default makes sense for them).
  const bare = new Set<keyof Backend>(['takeAudio', 'getSettings', 'home', 'question', 'bankInfo', 'addQuestion', 'updateQuestion', 'startRound', 'takeReview', 'rubric', 'finalizeRating']);
  const backend = Object.fromEntries(
    backendCalls.map((name) => {
      const impl = overrides[name] ?? defaults[name];
      if (impl) return [name, vi.isMockFunction(impl) ? impl : vi.fn(impl)];
      return [name, bare.has(name) ? vi.fn() : vi.fn(async () => null)];
    }),
  ) as unknown as Backend;
  const emit = (u: Partial<LevelUpdate>) =>
    onLevel?.({ peak_milli: 0, rms_milli: 0, elapsed_ms: 0, silent: false, ended: false, answer_ended: false, ...u });
  return { backend, emit };
}
