// The flow of one question: answer, keep or re-take, then interviewer push-backs that Rust chooses
// from the words of the answer and the replies so far (or from the question's own and the general
// ones, in an order fixed per answer, when there are no words): S skips one that does not fit and
// moves to the next, E ends them; up to `maxPushbacks` are answered.
// Every take is saved by Rust the moment it stops; leaving mid-take stops it and then keeps or
// deletes it, as the person chose.
import { toBackendError, type Backend, type BackendError, type Question, type Take } from './backend';
import { Recorder, idleView, type RecorderView } from './recorder';

export type Step =
  | { kind: 'ready' }
  | { kind: 'thinking'; remainingS: number }
  | { kind: 'answering' }
  | { kind: 'decide'; answer: Take }
  | { kind: 'confirm-retake'; answer: Take }
  | { kind: 'choosing'; answer: Take; index: number; replies: Take[] }
  | { kind: 'pushback'; answer: Take; index: number; text: string; replies: Take[] }
  | { kind: 'replying'; answer: Take; index: number; text: string; replies: Take[] }
  | { kind: 'replied'; answer: Take; index: number; text: string; replies: Take[]; more: boolean }
  | { kind: 'done'; answer: Take | null; replies: Take[] };

export interface PracticeOptions {
  question: Question;
  /** The interviewer says the question and push-backs aloud; the take starts once it has. */
  voice?: boolean;
  /** With the voice: the text stays hidden until asked for, as on a call. */
  listenOnly?: boolean;
  /** What the interviewer says before the question (a round's greeting or hand-over). */
  preface?: string;
  /**
   * Hands-free (the voice on and takes that stop by themselves): an answer that ended in silence
   * is kept, and after a reply that did the next push-back is asked, up to `maxPushbacks`; a take
   * stopped with a key waits for the next key, as without.
   */
  handsFree?: boolean;
  /** Hands-free: called once a question is done by itself (a round then moves on). */
  onDoneHandsFree?: () => void;
  /** Push-backs answered at most after the answer (0–3); skipped ones do not count. */
  maxPushbacks: number;
  /** Seconds of think time before recording; 0 = off. */
  thinkTimeS: number;
  roundId?: string | null;
}

export interface PracticeState {
  step: Step;
  recorder: RecorderView;
  /** The interviewer is speaking (Space cuts it short and records). */
  speaking: boolean;
  /** Listen only: the question or push-back on screen is not shown until asked for. */
  textHidden: boolean;
}

/** One question's practice flow, driven by keys or buttons; no Svelte here. */
export class PracticeSession {
  /** Whether "the voice is unavailable" was said already (once per run of the app). */
  static voiceProblemShown = false;
  private state: PracticeState;
  // False once the speech service failed: the text is shown and nothing is said any more.
  private voiceWorks = true;
  private readonly recorder: Recorder;
  private thinkTimer: ReturnType<typeof setInterval> | null = null;
  // The take stopped last, and the step change it causes (awaited before discarding it).
  private lastTake: Take | null = null;
  private settling: Promise<void> = Promise.resolve();

  constructor(
    private readonly backend: Backend,
    private readonly opts: PracticeOptions,
    private readonly onChange: (s: PracticeState) => void,
    private readonly onError: (e: BackendError) => void,
  ) {
    this.state = { step: { kind: 'ready' }, recorder: { ...idleView }, speaking: false, textHidden: this.hides() };
    this.recorder = new Recorder(
      backend,
      (v) => this.update({ recorder: v }),
      (stopped, silence) => {
        if (stopped.problem) this.onError(toBackendError(stopped.problem));
        this.lastTake = stopped.take;
        this.settling = this.stopped(stopped.take, silence);
      },
      (e) => {
        this.onError(e);
        this.recoverFromStartError();
      },
    );
  }

  get step(): Step {
    return this.state.step;
  }

  /** A take is being recorded (or is starting or stopping): leaving must ask first. */
  get recording(): boolean {
    return this.recorder.phase !== 'idle' || this.state.step.kind === 'answering' || this.state.step.kind === 'replying';
  }

  private update(patch: Partial<PracticeState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  private go(step: Step): void {
    this.update({ step });
  }

  private hides(): boolean {
    return !!this.opts.voice && !!this.opts.listenOnly && this.voiceWorks;
  }

  /**
   * Opens the question: with the voice on, the interviewer says it and the take (or the think
   * time) starts once it has been said, or at once when Space cuts it short.
   */
  async begin(): Promise<void> {
    if (this.state.step.kind !== 'ready' || !this.opts.voice) return;
    // A preface cut short with Space goes on to the question; the question cut short records.
    if (this.opts.preface && !(await this.say(this.opts.preface))) return;
    if (this.state.step.kind !== 'ready') return;
    if ((await this.say(this.opts.question.prompt)) && this.state.step.kind === 'ready') await this.primary();
  }

  /** Listen only: shows the text on screen. */
  reveal(): void {
    this.update({ textHidden: false });
  }

  /** Says `text` in the interviewer's voice; false when the voice is off or failed. */
  private async say(text: string): Promise<boolean> {
    if (!this.opts.voice || !this.voiceWorks) return false;
    this.update({ speaking: true });
    try {
      try {
        await this.backend.speak(text);
      } catch {
        // A busy machine can keep the speech service from answering once: asked again before
        // the voice is given up for the session.
        await this.backend.speak(text);
      }
      return true;
    } catch (e) {
      // No speech service: said once, then the text is shown as without a voice.
      this.voiceWorks = false;
      this.update({ textHidden: false });
      if (!PracticeSession.voiceProblemShown) {
        PracticeSession.voiceProblemShown = true;
        this.onError(toBackendError(e));
      }
      return false;
    } finally {
      this.update({ speaking: false });
    }
  }

  /** Space: record, stop, or start now during think time; while the interviewer speaks, cut
   * it short (the take then starts as it would have at the end). */
  async primary(): Promise<void> {
    if (this.state.speaking) {
      await this.backend.stopSpeaking();
      return;
    }
    const s = this.state.step;
    switch (s.kind) {
      case 'ready':
        if (this.opts.thinkTimeS > 0) this.think();
        else await this.record();
        return;
      case 'thinking':
        await this.record();
        return;
      case 'answering':
      case 'replying':
        await this.recorder.stop();
        return;
      case 'pushback':
        this.go({ kind: 'replying', answer: s.answer, index: s.index, text: s.text, replies: s.replies });
        await this.recorder.start({
          question_id: this.opts.question.id,
          parent_id: s.answer.id,
          pushback: s.text,
          round_id: this.opts.roundId ?? null,
        });
        return;
      default:
        return;
    }
  }

  private think(): void {
    let remaining = this.opts.thinkTimeS;
    this.go({ kind: 'thinking', remainingS: remaining });
    this.thinkTimer = setInterval(() => {
      remaining -= 1;
      if (remaining <= 0) void this.record();
      else this.go({ kind: 'thinking', remainingS: remaining });
    }, 1000);
  }

  private clearThink(): void {
    if (this.thinkTimer) clearInterval(this.thinkTimer);
    this.thinkTimer = null;
  }

  private async record(): Promise<void> {
    this.clearThink();
    this.go({ kind: 'answering' });
    await this.recorder.start({ question_id: this.opts.question.id, round_id: this.opts.roundId ?? null });
  }

  private recoverFromStartError(): void {
    const s = this.state.step;
    if (s.kind === 'answering') this.go({ kind: 'ready' });
    else if (s.kind === 'replying') this.go({ ...s, kind: 'pushback' });
  }

  /** A take stopped; `silence`: by itself, after the speaker fell silent (hands-free goes on). */
  private async stopped(take: Take, silence: boolean): Promise<void> {
    const s = this.state.step;
    const goOn = silence && this.handsFree;
    if (s.kind === 'answering') {
      this.go({ kind: 'decide', answer: take });
      if (goOn) await this.keep();
    } else if (s.kind === 'replying') {
      const replies = [...s.replies, take];
      // Whether one is left is known when it is chosen (from this reply's words too).
      const more = replies.length < this.opts.maxPushbacks;
      this.go({ kind: 'replied', answer: s.answer, index: s.index, text: s.text, replies, more });
      if (goOn) {
        if (more) await this.another();
        if (this.step.kind === 'replied') this.finish();
        if (this.step.kind === 'done') this.opts.onDoneHandsFree?.();
      }
    }
  }

  /** Hands-free while the voice works (without it, the keys lead as usual). */
  private get handsFree(): boolean {
    return !!this.opts.handsFree && !!this.opts.voice && this.voiceWorks;
  }

  /** The push-back at `index` Rust chooses after this answer; null when none is left. */
  private async pushbackText(answer: Take, index: number): Promise<string | null> {
    try {
      return (await this.backend.pushback(this.opts.question.id, answer.id, index))?.text ?? null;
    } catch (e) {
      this.onError(toBackendError(e));
      return null;
    }
  }

  /** Keep the answer and go on to the first push-back (or finish when none are wanted). */
  async keep(): Promise<void> {
    const s = this.state.step;
    if (s.kind !== 'decide') return;
    await this.offerPushback(s.answer, 0, []);
  }

  private async offerPushback(answer: Take, index: number, replies: Take[]): Promise<void> {
    if (replies.length >= this.opts.maxPushbacks) {
      this.go({ kind: 'done', answer, replies });
      return;
    }
    // Rust may wait a moment for the words of the answer (or the reply) before it chooses.
    this.go({ kind: 'choosing', answer, index, replies });
    const text = await this.pushbackText(answer, index);
    // Left meanwhile (ended, or the screen closed): nothing to show.
    if (this.state.step.kind !== 'choosing') return;
    if (text === null) {
      this.go({ kind: 'done', answer, replies });
      return;
    }
    this.update({ step: { kind: 'pushback', answer, index, text, replies }, textHidden: this.hides() });
    // Said aloud, the reply is recorded as soon as it has been said (or cut short).
    if (await this.say(text)) {
      const now = this.step;
      if (now.kind === 'pushback' && now.answer.id === answer.id && now.index === index) await this.primary();
    }
  }

  /** Ask before discarding the answer. */
  retake(): void {
    const s = this.state.step;
    if (s.kind === 'decide') this.go({ kind: 'confirm-retake', answer: s.answer });
  }

  /** Answer to "discard this take?": yes deletes it and starts over; no goes back. */
  async confirmRetake(yes: boolean): Promise<void> {
    const s = this.state.step;
    if (s.kind !== 'confirm-retake') return;
    if (!yes) {
      this.go({ kind: 'decide', answer: s.answer });
      return;
    }
    try {
      await this.backend.discardTake(s.answer.id);
      this.go({ kind: 'ready' });
    } catch (e) {
      this.onError(toBackendError(e));
      this.go({ kind: 'decide', answer: s.answer });
    }
  }

  /** Skip the push-back on screen for the next one (done when none is left). */
  async skip(): Promise<void> {
    const s = this.state.step;
    if (s.kind === 'pushback') await this.offerPushback(s.answer, s.index + 1, s.replies);
  }

  /** End the push-backs here: the answer (and replies so far) are kept. */
  endPushbacks(): void {
    const s = this.state.step;
    if (s.kind === 'pushback') this.go({ kind: 'done', answer: s.answer, replies: s.replies });
  }

  /** Another round of push-back after a reply. */
  async another(): Promise<void> {
    const s = this.state.step;
    if (s.kind === 'replied' && s.more) await this.offerPushback(s.answer, s.index + 1, s.replies);
  }

  /** Finish after a reply (or after deciding to keep without push-backs). */
  finish(): void {
    const s = this.state.step;
    if (s.kind === 'replied') this.go({ kind: 'done', answer: s.answer, replies: s.replies });
  }

  /**
   * Leaving the screen (or the person chose "Stop and keep" / "Discard"): a running take is
   * stopped and stored; with `keep` false it is then deleted, and the step goes back to where
   * that take started (ready to answer, or the push-back waiting for a reply).
   */
  async leave(keep = true): Promise<void> {
    this.clearThink();
    if (this.state.speaking) void this.backend.stopSpeaking();
    if (this.state.step.kind === 'thinking') this.go({ kind: 'ready' });
    if (!this.recording) return;
    this.lastTake = null;
    await this.recorder.stopWhenStarted();
    await this.settling;
    const take = this.lastTake as Take | null;
    if (keep || !take) return;
    try {
      await this.backend.discardTake(take.id);
    } catch (e) {
      this.onError(toBackendError(e));
      return;
    }
    const s = this.state.step;
    if (s.kind === 'decide' && s.answer.id === take.id) {
      this.go({ kind: 'ready' });
    } else if (s.kind === 'replied') {
      const replies = s.replies.filter((r) => r.id !== take.id);
      this.go({ kind: 'pushback', answer: s.answer, index: s.index, text: s.text, replies });
    }
  }

  /** The keyboard map of each step; returns true when the key was used. */
  async key(key: string): Promise<boolean> {
    const s = this.state.step;
    const k = key.toLowerCase();
    if (key === ' ') {
      await this.primary();
      return true;
    }
    if (k === 't' && this.state.textHidden) this.reveal();
    else if (s.kind === 'decide' && (key === 'Enter' || k === 'k')) await this.keep();
    else if (s.kind === 'decide' && k === 'r') this.retake();
    else if (s.kind === 'confirm-retake' && (k === 'y' || key === 'Enter')) await this.confirmRetake(true);
    else if (s.kind === 'confirm-retake' && (k === 'n' || key === 'Escape')) await this.confirmRetake(false);
    else if (s.kind === 'pushback' && k === 's') await this.skip();
    else if (s.kind === 'pushback' && (k === 'e' || key === 'Escape')) this.endPushbacks();
    else if (s.kind === 'replied' && k === 'a') await this.another();
    else if (s.kind === 'replied' && (key === 'Enter' || k === 'f')) this.finish();
    else return false;
    return true;
  }
}
