// A timed mock round: N questions, each with up to two push-backs, then the candidate's own
// question for the interviewer, under one round clock. The clock
// stops while the person is away from the round (Home shows "Resume round") and runs on from the
// same place when they come back.
import { toBackendError, type Backend, type BackendError, type Round, type Settings, type Take } from './backend';

export interface RoundState {
  round: Round;
  /** 0-based index of the question on screen. */
  index: number;
  /** Seconds left on the round clock (never below 0). */
  remainingS: number;
  /** True once the clock ran out: the current question is the last. */
  timeUp: boolean;
  /** True while the person is away from the round (the clock is stopped). */
  paused: boolean;
  /** True once the round ended and its answers went to the review queue. */
  ended: boolean;
}

/** The question every round closes with: the candidate's own question for the interviewer. */
export const CLOSING_QUESTION = 'closing-your-question';

/** The round's questions before the closing one (what "Question N of M" counts). */
function asked(round: Round): number {
  return round.questions.filter((q) => q.id !== CLOSING_QUESTION).length;
}

/** "Question N of M", always visible during a round; the closing step names itself. */
export function progressLabel(s: Pick<RoundState, 'index' | 'round'>): string {
  if (s.round.questions[s.index]?.id === CLOSING_QUESTION) return 'Last: your question for the interviewer';
  return `Question ${s.index + 1} of ${asked(s.round)}`;
}

/** What the briefing says before a round starts, from the settings. */
export function briefing(s: Pick<Settings, 'round_minutes' | 'round_questions' | 'target_min_s' | 'target_max_s'>): string[] {
  const q = s.round_questions === 1 ? '1 question' : `${s.round_questions} questions`;
  const each = Math.floor(s.round_minutes / Math.max(1, s.round_questions));
  return [
    `${q} from different categories, ${s.round_minutes} minutes on one clock${each >= 1 ? ` (about ${each} min a question)` : ''}.`,
    'After each answer the interviewer pushes back, up to twice; record your reply, ask for another (S) or move on (E).',
    'It ends as the real one does: with your own question for the interviewer.',
    'No pausing and no re-reading your notes: answer as you would in the room. The clock keeps running while you think.',
    'Your answers are reviewed together afterwards, so nothing interrupts the round.',
  ];
}

/** Drives the round: the clock, moving to the next question, pausing while away, ending. */
export class RoundSession {
  private state: RoundState;
  private timer: ReturnType<typeof setInterval> | null = null;
  // Milliseconds used before the current stretch, and when the current stretch started.
  private usedMs = 0;
  private runningSince: number | null;

  constructor(
    private readonly backend: Backend,
    round: Round,
    private readonly onChange: (s: RoundState) => void,
    private readonly onError: (e: BackendError) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.runningSince = now();
    this.state = { round, index: 0, remainingS: round.length_s, timeUp: false, paused: false, ended: false };
    this.startTimer();
    this.onChange(this.state);
  }

  get current(): RoundState {
    return this.state;
  }

  /** Seconds of the round used so far (the clock's time, pauses left out). */
  get usedS(): number {
    const running = this.runningSince === null ? 0 : this.now() - this.runningSince;
    return Math.floor((this.usedMs + running) / 1000);
  }

  private set(patch: Partial<RoundState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  private startTimer(): void {
    this.stopTimer();
    this.timer = setInterval(() => this.tick(), 250);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const remainingS = Math.max(0, this.state.round.length_s - this.usedS);
    if (remainingS !== this.state.remainingS || (remainingS === 0 && !this.state.timeUp)) {
      this.set({ remainingS, timeUp: remainingS === 0 });
    }
  }

  /** The person left the round: the clock stops where it is. */
  pause(): void {
    if (this.state.ended || this.runningSince === null) return;
    this.usedMs += this.now() - this.runningSince;
    this.runningSince = null;
    this.stopTimer();
    this.set({ paused: true });
  }

  /** Back in the round: the clock runs on from where it stopped. */
  resume(): void {
    if (this.state.ended || this.runningSince !== null) return;
    this.runningSince = this.now();
    this.startTimer();
    this.set({ paused: false });
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
    if (this.runningSince !== null) this.usedMs += this.now() - this.runningSince;
    this.runningSince = null;
    this.stopTimer();
    try {
      await this.backend.endRound(this.state.round.id);
    } catch (e) {
      this.onError(toBackendError(e));
    }
    this.set({ ended: true, paused: false });
  }

  /** Stops the clock without ending (the window is closing). */
  dispose(): void {
    this.stopTimer();
  }
}

/** What the summary after a round says. */
export interface RoundSummary {
  /** Questions on screen at some point (the one showing when it ended included). */
  reached: number;
  /** Questions planned, the closing one left out. */
  planned: number;
  /** The closing question was answered (the candidate asked theirs). */
  askedOwn: boolean;
  /** Answers recorded in the round, oldest first (their ids, for "Review this round"). */
  answerIds: string[];
  replies: number;
  usedS: number;
  /** The round's takes (answers and replies), for the conversation in order. */
  takes: Take[];
}

/** Counts the round's answers and replies from each question's takes. */
export async function summarize(backend: Backend, s: RoundState, usedS: number): Promise<RoundSummary> {
  const reached = Math.min(s.index + 1, s.round.questions.length);
  const takes = (await Promise.all(s.round.questions.slice(0, reached).map((q) => backend.questionTakes(q.id))))
    .flat()
    .filter((t) => t.round_id === s.round.id);
  const answers = takes
    .filter((t) => t.parent_id === null)
    .sort((a, b) => a.started_at.localeCompare(b.started_at));
  return {
    reached,
    planned: asked(s.round),
    askedOwn: answers.some((t) => t.question_id === CLOSING_QUESTION),
    answerIds: answers.map((t) => t.id),
    replies: takes.filter((t) => t.parent_id !== null).length,
    usedS,
    takes,
  };
}

/** Questions of the round answered, the closing one left out (as `planned` counts them). */
export function answered(s: Pick<RoundSummary, 'answerIds' | 'askedOwn'>): number {
  return s.answerIds.length - (s.askedOwn ? 1 : 0);
}

/** The summary in words: "2 of 5 questions answered in 12:40, with 2 replies." */
export function summaryLine(s: RoundSummary): string {
  const used = `${Math.floor(s.usedS / 60)}:${String(s.usedS % 60).padStart(2, '0')}`;
  const n = answered(s);
  if (s.answerIds.length === 0) return `You ended the round after ${used} without recording an answer, so nothing waits for review.`;
  const done = `${n} of ${s.planned} question${s.planned === 1 ? '' : 's'} answered in ${used}`;
  const replies = s.replies === 0 ? 'no replies to push-backs' : s.replies === 1 ? '1 reply to a push-back' : `${s.replies} replies to push-backs`;
  return `${done}, with ${replies}${s.askedOwn ? ', and you asked your own question' : ''}.`;
}

/**
 * What the interviewer says before the question at `index`: a greeting before the first, a short
 * hand-over before the others; nothing before the closing question, which says its own.
 */
export function opening(round: Round, index: number): string {
  const q = round.questions[index];
  if (!q || q.id === CLOSING_QUESTION) return '';
  if (index === 0) {
    const n = asked(round);
    const minutes = Math.round(round.length_s / 60);
    const plan = `${n === 1 ? 'one question' : `${n} questions`} in ${minutes === 1 ? 'one minute' : `${minutes} minutes`}`;
    return `Hello, and thank you for making the time. We have ${plan}, and I will press on your answers. Take a moment to think whenever you need one. Here is the first.`;
  }
  return index % 2 === 1 ? 'Thank you. Let us move on.' : 'Thank you. Next question.';
}

/** What the interviewer says when the round is over. */
export const FAREWELL = 'Thank you, that is all from me. Your answers will wait for you to review them together.';

/** One line of the round as it was spoken: the interviewer's, or a take of the candidate's. */
export type Line =
  | { who: 'interviewer'; text: string; reason: string | null }
  | { who: 'you'; take: Take };

/**
 * The round as a conversation, in order: greeting, each question, each answer, each push-back
 * (with why it was asked) and its reply, up to the farewell once the round ended.
 */
export function conversation(s: Pick<RoundState, 'round' | 'index' | 'ended'>, takes: Take[]): Line[] {
  const lines: Line[] = [];
  const say = (text: string, reason: string | null = null) => text && lines.push({ who: 'interviewer', text, reason });
  const mine = takes.filter((t) => t.round_id === s.round.id).sort((a, b) => a.started_at.localeCompare(b.started_at));
  const reached = Math.min(s.index + 1, s.round.questions.length);
  s.round.questions.slice(0, reached).forEach((q, i) => {
    say(opening(s.round, i));
    say(q.prompt);
    for (const answer of mine.filter((t) => t.parent_id === null && t.question_id === q.id)) {
      lines.push({ who: 'you', take: answer });
      for (const reply of mine.filter((t) => t.parent_id === answer.id)) {
        say(reply.pushback ?? '', reply.pushback_choice?.reason ?? null);
        lines.push({ who: 'you', take: reply });
      }
    }
  });
  if (s.ended) say(FAREWELL);
  return lines;
}
