// e2e-audio: pulse
// A mock round of 2 questions with a short round length set through the real settings screen:
// "Question 1 of 2" and "Question 2 of 2" are shown, then the closing question (the candidate's
// own for the interviewer), and all three answers are queued for review as
// one round.
import { byTestId, dbQuery, press, screenshot } from '../helpers.js';
import { settingsNumber as setNumber } from '../voice.js';

async function waitStep(step: string): Promise<void> {
  await browser.waitUntil(
    async () => (await $(byTestId('practice')).getAttribute('data-step')) === step,
    { timeout: 15_000, timeoutMsg: `never reached step "${step}"` },
  );
}

async function answerWithOnePushback(): Promise<void> {
  await waitStep('ready');
  await press(' ');
  await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
  await browser.pause(1500);
  await press(' ');
  await waitStep('decide');
  await press('Enter');
  await waitStep('pushback');
  await press(' ');
  await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
  await browser.pause(1500);
  await press(' ');
  await waitStep('replied');
  // Up to two push-backs per question in a round: "Another" is offered after the first reply.
  expect(await $(byTestId('another')).isExisting()).toBe(true);
  await press('Enter');
  await waitStep('done');
}

describe('mock-round', () => {
  it('sets a 2-question, 1-minute round in Settings', async () => {
    await $(byTestId('nav-settings')).click();
    await setNumber('setting-round-minutes', 1);
    await setNumber('setting-round-questions', 2);
    await $(byTestId('save-settings')).click();
    await $(byTestId('settings-saved')).waitForDisplayed({ timeout: 10_000 });
    await $(byTestId('nav-home')).click();
    await $(byTestId('start-round')).waitForDisplayed({ timeout: 15_000 });
  });

  it('briefs the round first, then plays question 1 of 2', async () => {
    await press('m');
    await $(byTestId('round-briefing')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('round-briefing')).getText()).toContain('2 questions');
    await screenshot('mock-round-briefing');
    await press('Enter');
    const progress = await $(byTestId('round-progress'));
    await progress.waitForDisplayed({ timeout: 15_000 });
    expect(await progress.getText()).toBe('Question 1 of 2');
    expect(await $(byTestId('round-clock')).getText()).toMatch(/^(1:00|0:5\d) left$/);
    await screenshot('mock-round-q1');
    await answerWithOnePushback();
    await press('Enter');
  });

  it('plays question 2 of 2 and ends the round', async () => {
    const progress = await $(byTestId('round-progress'));
    await browser.waitUntil(async () => (await progress.getText()) === 'Question 2 of 2', { timeout: 15_000 });
    await answerWithOnePushback();
    await press('Enter');
    // As in the real round, it closes with the candidate's own question.
    await browser.waitUntil(async () => (await progress.getText()) === 'Last: your question for the interviewer', { timeout: 15_000 });
    await screenshot('mock-round-closing');
    await answerWithOnePushback();
    await press('Enter');
    await $(byTestId('round-ended')).waitForDisplayed({ timeout: 15_000 });
    await browser.waitUntil(async () => (await $(byTestId('round-summary')).getAttribute('data-answers')) === '3', {
      timeout: 10_000,
      timeoutMsg: 'the round summary never counted 3 answers',
    });
    expect(await $(byTestId('round-summary')).getText()).toContain('2 of 2 questions answered');
    expect(await $(byTestId('round-summary')).getText()).toContain('you asked your own question');
    expect(await $(byTestId('review-round')).isDisplayed()).toBe(true);
    await screenshot('mock-round-ended');
  });

  it('queued both answers for review as one round', async () => {
    const rounds = dbQuery<{ id: string; ended_at: string | null; planned_questions: number; length_s: number }>(
      'SELECT id, ended_at, planned_questions, length_s FROM rounds',
    );
    expect(rounds.length).toBe(1);
    const round = rounds[0]!;
    expect(round.ended_at).not.toBeNull();
    expect(round.planned_questions).toBe(2);
    expect(round.length_s).toBe(60);
    const answers = dbQuery<{ id: string; question_id: string; round_id: string }>(
      "SELECT id, question_id, round_id FROM takes WHERE parent_id IS NULL ORDER BY started_at",
    );
    expect(answers.length).toBe(3);
    expect(answers.every((a) => a.round_id === round.id)).toBe(true);
    expect(answers[0]!.question_id).not.toBe(answers[1]!.question_id);
    expect(answers[2]!.question_id).toBe('closing-your-question');
    const followups = dbQuery<{ n: number }>('SELECT count(*) AS n FROM takes WHERE parent_id IS NOT NULL');
    expect(followups[0]!.n).toBe(3);
    await $(byTestId('round-home')).click();
    await $(byTestId('home')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('review-count')).getText()).toBe('3');
  });
});
