import { describe, expect, it, vi } from 'vitest';
import type { TranscriberStatus, TranscriptionStatus } from './backend';
import { fakeBackend, sampleStatus } from './testing';
import { fillerFidelity, modelSize, modelSpeed, normalizeStatus, statusLine, takeStatus, TranscriptionFeed, TURN_ON } from './transcription';

const status = (patch: Partial<TranscriberStatus> = {}): TranscriberStatus => sampleStatus(patch);

describe('the transcription feed', () => {
  it('starts the watch once and passes every status to its subscribers, the latest first', async () => {
    let send: (s: TranscriptionStatus) => void = () => {};
    const { backend } = fakeBackend({ watchTranscription: async (cb) => void (send = cb) });
    const feed = new TranscriptionFeed();
    await feed.start(backend);
    await feed.start(backend);
    expect(backend.watchTranscription).toHaveBeenCalledTimes(1);

    const early: string[] = [];
    const stop = feed.subscribe((s) => early.push(s.state));
    send({ state: 'working', take_id: 't', percent: 10, waiting: 2, failed: 0 });
    expect(feed.latest).toEqual(status({ state: 'working', model: null, take_id: 't', percent: 10, waiting: 2 }));

    const late: string[] = [];
    feed.subscribe((s) => late.push(s.state));
    expect(late).toEqual(['working']);
    stop();
    send(status({ finished: 't' }));
    expect(early).toEqual(['working']);
    expect(late).toEqual(['working', 'idle']);
    expect(feed.latest?.finished).toBe('t');
  });

  it('fills in the fields a status left out', () => {
    expect(normalizeStatus({ state: 'no_model', percent: 0, waiting: 3, failed: 1 })).toEqual(
      status({ state: 'no_model', model: null, waiting: 3, failed: 1 }),
    );
  });

  it('subscribes without a status yet', () => {
    const f = vi.fn();
    new TranscriptionFeed().subscribe(f);
    expect(f).not.toHaveBeenCalled();
  });
});

describe('why a take has no transcript', () => {
  const failure = { take_id: 't', model: 'm', reason: 'The speech model m could not transcribe this recording', failed_at: '2026-11-27T10:00:00Z' };

  it('says how far the take is, or how many wait', () => {
    expect(takeStatus(status({ state: 'working', take_id: 't', percent: 42.4, waiting: 3 }), 't')).toEqual({ kind: 'working', text: 'Transcribing… 42%' });
    const waiting = takeStatus(status({ state: 'working', take_id: 'other', waiting: 3 }), 't');
    expect(waiting.kind).toBe('waiting');
    expect(waiting.text).toBe('Waiting: 3 takes in the queue, newest first.');
  });

  it('says how to turn transcripts on when no model was added', () => {
    const s = takeStatus(status({ state: 'no_model', model: null }), 't');
    expect(s.kind).toBe('off');
    expect(s.text).toContain(TURN_ON);
    expect(s.text).toContain('Settings → Transcription → add a speech model');
  });

  it('gives the reason of a failure before anything else, and says when the audio is gone', () => {
    const s = takeStatus(status({ state: 'working', take_id: 'other' }), 't', { failure });
    expect(s).toEqual({ kind: 'failed', text: 'Transcribing this take failed: The speech model m could not transcribe this recording.' });
    expect(takeStatus(status(), 't', { failure, audioDeleted: true }).kind).toBe('deleted');
  });

  it('names a model problem, a pause for recording, and a take not reached yet', () => {
    expect(takeStatus(status({ state: 'model_problem', problem: 'The file is cut short.' }), 't').text).toBe(
      'No transcript: the speech model cannot be used (The file is cut short). Choose or add another in Settings → Transcription.',
    );
    expect(takeStatus(status({ state: 'paused' }), 't').kind).toBe('paused');
    expect(takeStatus(status(), 't').kind).toBe('none');
    expect(takeStatus(null, 't').kind).toBe('checking');
  });
});

describe('the status line of Settings', () => {
  it('says what the transcriber does', () => {
    expect(statusLine(null)).toBe('Checking…');
    expect(statusLine(status())).toBe('On: every take is transcribed on this computer with ggml-base.en.bin.');
    expect(statusLine(status({ state: 'working', percent: 42, waiting: 1, failed: 2 }))).toBe(
      'Transcribing a take with ggml-base.en.bin… 42% (1 take waiting). 2 takes could not be transcribed (see below).',
    );
    expect(statusLine(status({ state: 'no_model', model: null, waiting: 4 }))).toBe(
      'Transcripts are off: no speech model has been added yet. 4 takes will be transcribed once one is.',
    );
    expect(statusLine(status({ state: 'model_problem', problem: 'it is not a whisper.cpp model' }))).toBe(
      'ggml-base.en.bin cannot be used: it is not a whisper.cpp model. Choose or add another model below.',
    );
    expect(statusLine(status({ state: 'paused', waiting: 2 }))).toBe('Paused while a take is being recorded (2 takes waiting).');
  });

  it('gives a model’s size in megabytes', () => {
    expect(modelSize(147.5)).toBe('148 MB');
    expect(modelSize(31.2)).toBe('31.2 MB');
    expect(modelSize(null)).toBe('size unknown');
  });

  it('gives a model’s speed on this machine once measured, and how it kept fillers in Candor’s test', () => {
    expect(modelSpeed(null, 0)).toBe('speed here: not measured yet');
    expect(modelSpeed(null, 0.4)).toBe('speed here: measured after a minute of answers');
    expect(modelSpeed(4.25, 12.3)).toBe('4.3× faster than real time here (12 min heard)');
    expect(modelSpeed(0.8, 1.5)).toBe('slower than real time here (0.80×, 1.5 min heard)');
    expect(fillerFidelity({ fillers_kept: 6, fillers_said: 7, word_error: 9.6 })).toBe("kept 6 of 7 fillers in Candor's test, 9.6 % of words wrong");
    expect(fillerFidelity(null)).toBe('fillers kept: not measured by Candor');
  });
});
