import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Question, Take } from './backend';
import { PracticeSession, type PracticeState } from './practice';
import { fakeBackend, sampleTake } from './testing';

const question: Question = {
  id: 'rsp-1', prompt: 'What breaks first?', category: 'rsp', category_name: 'RSP', category_blurb: '',
  reading: 'Responsible Scaling Policy', criteria: ['complexity'], pushbacks: ['Why that?'],
};

function setup(
  opts: { maxPushbacks?: number; thinkTimeS?: number; pushbacks?: (string | null)[]; voice?: boolean; listenOnly?: boolean; handsFree?: boolean; preface?: string } = {},
) {
  const pushbacks = opts.pushbacks ?? ['Why that?', 'What would change your mind?', 'How did you feel?'];
  let n = 0;
  const takes: Take[] = [];
  const fb = fakeBackend({
    pushback: vi.fn(async (_q: string, _answer: string, i: number) => {
      const text = pushbacks[i];
      return text ? { text, rule: 'question', reason: 'one of the question’s own' } : null;
    }),
    stopRecording: vi.fn(async () => {
      n += 1;
      const t = sampleTake({ id: String(n).padStart(32, '0') });
      takes.push(t);
      return { take: t, problem: null };
    }),
  });
  let state: PracticeState | null = null;
  const onError = vi.fn();
  const doneHandsFree = vi.fn();
  const session = new PracticeSession(
    fb.backend,
    {
      question,
      maxPushbacks: opts.maxPushbacks ?? 3,
      thinkTimeS: opts.thinkTimeS ?? 0,
      voice: opts.voice,
      listenOnly: opts.listenOnly,
      handsFree: opts.handsFree,
      preface: opts.preface,
      onDoneHandsFree: () => doneHandsFree(),
    },
    (s) => (state = s),
    onError,
  );
  return { ...fb, session, get state() { return state; }, onError, takes, doneHandsFree };
}

afterEach(() => vi.useRealTimers());

describe('PracticeSession', () => {
  it('answer, keep, one push-back reply, finish — all from the keyboard', async () => {
    const t = setup();
    await t.session.key(' ');
    expect(t.session.step.kind).toBe('answering');
    await t.session.key(' ');
    expect(t.session.step.kind).toBe('decide');
    await t.session.key('Enter');
    const pb = t.session.step;
    expect(pb.kind === 'pushback' && pb.text).toBe('Why that?');
    await t.session.key(' ');
    expect(t.session.step.kind).toBe('replying');
    const reply = vi.mocked(t.backend.startRecording).mock.calls[1]?.[0];
    expect(reply).toMatchObject({ question_id: 'rsp-1', parent_id: t.takes[0]?.id, pushback: 'Why that?' });
    await t.session.key(' ');
    const replied = t.session.step;
    expect(replied.kind === 'replied' && replied.more).toBe(true);
    await t.session.key('Enter');
    const done = t.session.step;
    expect(done.kind).toBe('done');
    expect(done.kind === 'done' && done.replies.length).toBe(1);
  });

  it('offers at most three push-backs, in the order Rust draws for the answer', async () => {
    const t = setup();
    await t.session.primary();
    await t.session.primary();
    await t.session.keep();
    for (let i = 0; i < 3; i++) {
      const s = t.session.step;
      expect(s.kind).toBe('pushback');
      await t.session.primary();
      await t.session.primary();
      if (i < 2) await t.session.another();
    }
    const last = t.session.step;
    expect(last.kind === 'replied' && last.more).toBe(false);
    // Each push-back was asked for once, after the reply before it.
    expect(vi.mocked(t.backend.pushback).mock.calls.map((c) => c[2])).toEqual([0, 1, 2]);
    expect(vi.mocked(t.backend.startRecording).mock.calls.map((c) => c[0].pushback ?? null)).toEqual([
      null, 'Why that?', 'What would change your mind?', 'How did you feel?',
    ]);
  });

  it('S moves to the next push-back of the chain drawn for this answer, and skipped ones do not count', async () => {
    const t = setup({ maxPushbacks: 1 });
    await t.session.primary();
    await t.session.primary();
    await t.session.keep();
    await t.session.key('s');
    const next = t.session.step;
    expect(next.kind === 'pushback' && next.text).toBe('What would change your mind?');
    expect(vi.mocked(t.backend.pushback).mock.calls.map((c) => [c[1], c[2]])).toEqual([
      [t.takes[0]?.id, 0],
      [t.takes[0]?.id, 1],
    ]);
    // Answering it uses the one push-back allowed; skipping past the last ends the flow.
    await t.session.primary();
    await t.session.primary();
    const replied = t.session.step;
    expect(replied.kind === 'replied' && replied.more).toBe(false);
    const u = setup({ pushbacks: ['Only one'] });
    await u.session.primary();
    await u.session.primary();
    await u.session.keep();
    await u.session.key('s');
    expect(u.session.step.kind).toBe('done');
  });

  it('shows that the interviewer is choosing while Rust listens back, and ends when none is left', async () => {
    const t = setup({ pushbacks: ['Why that?'] });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const choose = vi.mocked(t.backend.pushback).getMockImplementation()!;
    vi.mocked(t.backend.pushback).mockImplementation(async (...a) => {
      await gate;
      return choose(...a);
    });
    await t.session.primary();
    await t.session.primary();
    const keeping = t.session.keep();
    expect(t.session.step.kind).toBe('choosing');
    release();
    await keeping;
    expect(t.session.step.kind === 'pushback' && t.session.step.text).toBe('Why that?');
    await t.session.primary();
    await t.session.primary();
    const replied = t.session.step;
    expect(replied.kind === 'replied' && replied.more).toBe(true);
    // Nothing left to ask: "another" finishes instead.
    await t.session.another();
    expect(t.session.step.kind).toBe('done');
  });

  it('with the voice, the question and push-backs are said first and each take starts once they have been', async () => {
    const t = setup({ voice: true });
    await t.session.begin();
    expect(vi.mocked(t.backend.speak).mock.calls[0]?.[0]).toBe(question.prompt);
    // Said: the answer is being recorded without a key pressed.
    expect(t.session.step.kind).toBe('answering');
    expect(t.backend.startRecording).toHaveBeenCalledTimes(1);
    await t.session.primary();
    await t.session.keep();
    // The push-back is said, then the reply is recorded, linked to it.
    expect(vi.mocked(t.backend.speak).mock.calls[1]?.[0]).toBe('Why that?');
    expect(t.session.step.kind).toBe('replying');
    expect(vi.mocked(t.backend.startRecording).mock.calls[1]?.[0]).toMatchObject({ pushback: 'Why that?' });
  });

  it('hands-free, each take that stops by itself is kept and the push-backs follow without a key', async () => {
    const t = setup({ voice: true, handsFree: true, maxPushbacks: 2 });
    await t.session.begin();
    expect(t.session.step.kind).toBe('answering');
    // The silence set in Settings ends each take; nothing else is pressed.
    t.emit({ answer_ended: true });
    await vi.waitFor(() => expect(t.session.step.kind).toBe('replying'));
    t.emit({ answer_ended: true });
    await vi.waitFor(() => expect(vi.mocked(t.backend.startRecording)).toHaveBeenCalledTimes(3));
    t.emit({ answer_ended: true });
    await vi.waitFor(() => expect(t.session.step.kind).toBe('done'));
    const done = t.session.step;
    expect(done.kind === 'done' && done.replies.length).toBe(2);
    // Said once, so a round moves on to its next question.
    expect(t.doneHandsFree).toHaveBeenCalledTimes(1);
    expect(vi.mocked(t.backend.speak).mock.calls.map((c) => c[0])).toEqual([question.prompt, 'Why that?', 'What would change your mind?']);
    // A take stopped with Space waits for the next key, hands-free or not.
    const u = setup({ voice: true, handsFree: true });
    await u.session.begin();
    await u.session.primary();
    expect(u.session.step.kind).toBe('decide');
  });

  it('Space while the interviewer speaks cuts it short and records at once', async () => {
    const t = setup({ voice: true });
    let finish: (v: 'Finished' | 'Cut') => void = () => {};
    vi.mocked(t.backend.speak).mockImplementation(() => new Promise((r) => (finish = r)));
    vi.mocked(t.backend.stopSpeaking).mockImplementation(async () => finish('Cut'));
    const asking = t.session.begin();
    expect(t.state?.speaking).toBe(true);
    expect(t.session.recording).toBe(false);
    await t.session.key(' ');
    await asking;
    expect(t.backend.stopSpeaking).toHaveBeenCalledTimes(1);
    expect(t.session.step.kind).toBe('answering');
    expect(t.backend.startRecording).toHaveBeenCalledTimes(1);
    expect(t.state?.speaking).toBe(false);
  });

  it("a round's greeting is said before the question; Space during it skips to the question", async () => {
    const t = setup({ voice: true, preface: 'Hello.' });
    await t.session.begin();
    expect(vi.mocked(t.backend.speak).mock.calls.map((c) => c[0])).toEqual(['Hello.', question.prompt]);
    expect(t.session.step.kind).toBe('answering');
    const u = setup({ voice: true, preface: 'Hello.' });
    let finish: (v: 'Finished' | 'Cut') => void = () => {};
    vi.mocked(u.backend.speak).mockImplementationOnce(() => new Promise((r) => (finish = r)));
    vi.mocked(u.backend.stopSpeaking).mockImplementation(async () => finish('Cut'));
    const asking = u.session.begin();
    await u.session.key(' ');
    await asking;
    // The greeting was cut short: the question was still said, then the answer recorded.
    expect(vi.mocked(u.backend.speak).mock.calls.map((c) => c[0])).toEqual(['Hello.', question.prompt]);
    expect(u.session.step.kind).toBe('answering');
  });

  it('a speech service that did not answer once is asked again before the text is shown instead', async () => {
    const t = setup({ voice: true });
    vi.mocked(t.backend.speak).mockRejectedValueOnce({ code: 'NoVoice', message: 'The computer’s speech service did not answer.' });
    await t.session.begin();
    expect(vi.mocked(t.backend.speak).mock.calls.map((c) => c[0])).toEqual([question.prompt, question.prompt]);
    expect(t.onError).not.toHaveBeenCalled();
    expect(t.session.step.kind).toBe('answering');
  });

  it('listen only hides the text until T; without a speech service it says so once and shows it', async () => {
    const t = setup({ voice: true, listenOnly: true });
    vi.mocked(t.backend.speak).mockImplementation(() => new Promise(() => {}));
    void t.session.begin();
    expect(t.state?.textHidden).toBe(true);
    await t.session.key('t');
    expect(t.state?.textHidden).toBe(false);

    PracticeSession.voiceProblemShown = false;
    for (let run = 0; run < 2; run++) {
      const u = setup({ voice: true, listenOnly: true });
      vi.mocked(u.backend.speak).mockRejectedValue({ code: 'NoVoice', message: 'The computer’s speech service did not answer.' });
      await u.session.begin();
      expect(u.state?.textHidden).toBe(false);
      // Nothing was said, so nothing is recorded until Space, as without a voice.
      expect(u.session.step.kind).toBe('ready');
      expect(u.onError).toHaveBeenCalledTimes(run === 0 ? 1 : 0);
    }
  });

  it('E (or Esc) ends the push-backs and keeps the answer', async () => {
    for (const key of ['e', 'Escape']) {
      const t = setup();
      await t.session.primary();
      await t.session.primary();
      await t.session.keep();
      await t.session.key(key);
      const s = t.session.step;
      expect(s.kind === 'done' && s.answer?.id).toBe(t.takes[0]?.id);
      expect(t.backend.discardTake).not.toHaveBeenCalled();
    }
  });

  it('re-take asks first, then discards and starts over', async () => {
    const t = setup();
    await t.session.primary();
    await t.session.primary();
    await t.session.key('r');
    expect(t.session.step.kind).toBe('confirm-retake');
    await t.session.key('n');
    expect(t.session.step.kind).toBe('decide');
    t.session.retake();
    await t.session.key('y');
    expect(t.backend.discardTake).toHaveBeenCalledWith(t.takes[0]?.id);
    expect(t.session.step.kind).toBe('ready');
  });

  it('a mock-round question offers one push-back only', async () => {
    const t = setup({ maxPushbacks: 1 });
    await t.session.primary();
    await t.session.primary();
    await t.session.keep();
    await t.session.primary();
    await t.session.primary();
    const s = t.session.step;
    expect(s.kind === 'replied' && s.more).toBe(false);
  });

  it('think time counts down, then records by itself', async () => {
    vi.useFakeTimers();
    const t = setup({ thinkTimeS: 3 });
    await t.session.primary();
    expect(t.session.step).toEqual({ kind: 'thinking', remainingS: 3 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.session.step).toEqual({ kind: 'thinking', remainingS: 2 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.session.step.kind).toBe('answering');
    expect(t.backend.startRecording).toHaveBeenCalledTimes(1);
  });

  it('quitting mid-answer stops the take, which keeps it', async () => {
    const t = setup();
    await t.session.primary();
    await t.session.leave();
    expect(t.backend.stopRecording).toHaveBeenCalledTimes(1);
    expect(t.backend.discardTake).not.toHaveBeenCalled();
    expect(t.session.step.kind).toBe('decide');
  });

  it('"Discard" mid-answer stops the take, deletes it and goes back to ready', async () => {
    const t = setup();
    await t.session.primary();
    expect(t.session.recording).toBe(true);
    await t.session.leave(false);
    expect(t.backend.discardTake).toHaveBeenCalledWith(t.takes[0]?.id);
    expect(t.session.step.kind).toBe('ready');
    expect(t.session.recording).toBe(false);
  });

  it('"Discard" mid-reply deletes only the reply and waits on the same push-back', async () => {
    const t = setup();
    await t.session.key(' ');
    await t.session.key(' ');
    await t.session.key('Enter');
    await t.session.key(' ');
    expect(t.session.step.kind).toBe('replying');
    await t.session.leave(false);
    expect(t.backend.discardTake).toHaveBeenCalledWith(t.takes[1]?.id);
    const s = t.session.step;
    expect(s.kind === 'pushback' && s.text).toBe('Why that?');
    expect(s.kind === 'pushback' && s.replies).toEqual([]);
  });

  it('leaving while the take is still starting waits for it, then stops it', async () => {
    const t = setup();
    let release: () => void = () => {};
    vi.mocked(t.backend.startRecording).mockImplementationOnce(
      () => new Promise((resolve) => (release = () => resolve({ take_id: 'x'.repeat(32), device_name: 'Mic', fell_back: false }))),
    );
    const starting = t.session.primary();
    const leaving = t.session.leave(true);
    release();
    await starting;
    await leaving;
    expect(t.backend.stopRecording).toHaveBeenCalledTimes(1);
    expect(t.session.step.kind).toBe('decide');
  });

  it('leaving during think time cancels it without recording', async () => {
    vi.useFakeTimers();
    const t = setup({ thinkTimeS: 3 });
    await t.session.primary();
    await t.session.leave();
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.backend.startRecording).not.toHaveBeenCalled();
    expect(t.session.step.kind).toBe('ready');
  });

  it('a failed start (no microphone) returns to ready and reports it', async () => {
    const t = setup();
    vi.mocked(t.backend.startRecording).mockRejectedValueOnce({ code: 'NoInputDevice', message: 'No microphone' });
    await t.session.primary();
    expect(t.session.step.kind).toBe('ready');
    expect(t.onError).toHaveBeenCalled();
  });
});
