// e2e-audio: silent
// e2e-model: test
// e2e-voice: speechd
// A spoken mock round, hands-free: with the voice on and takes that stop after 2 s of silence,
// the interviewer greets, asks the question aloud, listens, pushes back twice on what each answer
// left out, moves on by itself to the closing question ("what would you like to ask me?"), whose
// answer and replies are recorded too, and says goodbye. No key is pressed after the briefing.
// The summary tells the round in order, with why each push-back was asked, as the database has it.
import { byTestId, dbQuery, press, screenshot, waitStep } from '../helpers.js';
import { playIntoMic, settingsCheck, settingsNumber, speech } from '../voice.js';

const ANSWER = 'We shipped it on time, and the launch went well.';
const REPLY_1 = 'I am not sure, I would ask the team.';
const REPLY_2 = 'It would slow the next release.';
const OWN = 'How do you decide what to publish?';

/** The number of replies recorded so far in the round. */
const replies = () => dbQuery<{ n: number }>('SELECT count(*) AS n FROM takes WHERE parent_id IS NOT NULL')[0]!.n;

/** Waits until the interviewer has asked and a take is recording by itself, then answers. */
async function answerWhenAsked(step: 'answering' | 'replying', file: string): Promise<void> {
  await waitStep(step, 45_000);
  await browser.pause(300);
  playIntoMic(file);
}

describe('conversation', () => {
  it('sets the voice, a 2 s auto-stop and a one-question round', async () => {
    await $(byTestId('nav-settings')).click();
    await settingsCheck('setting-voice-on', true);
    await settingsCheck('setting-auto-stop-on', true);
    await settingsNumber('setting-auto-stop', 2);
    await settingsNumber('setting-round-minutes', 10);
    await settingsNumber('setting-round-questions', 1);
    await $(byTestId('save-settings')).click();
    await $(byTestId('settings-saved')).waitForDisplayed({ timeout: 10_000 });
    await $(byTestId('nav-home')).click();
    await $(byTestId('start-round')).waitForDisplayed({ timeout: 15_000 });
  });

  it('greets, asks aloud and records the answer, which ends by itself', async () => {
    await press('m');
    await $(byTestId('round-briefing')).waitForDisplayed({ timeout: 10_000 });
    await press('Enter');
    const preface = await $(byTestId('interviewer-preface'));
    await preface.waitForDisplayed({ timeout: 15_000 });
    expect(await preface.getText()).toMatch(/^Hello, and thank you for making the time\. We have one question in 10 minutes/);
    await $(byTestId('interviewer-speaking')).waitForDisplayed({ timeout: 10_000 });
    await screenshot('conversation-greeting');
    await answerWhenAsked('answering', speech('answer', ANSWER));
    await browser.waitUntil(async () => ['choosing', 'pushback', 'replying'].includes((await $(byTestId('practice')).getAttribute('data-step')) ?? ''), {
      timeout: 20_000,
      timeoutMsg: 'the answer did not end by itself after the silence',
    });
  });

  it('pushes back twice, each reply recorded and ended by itself', async () => {
    await answerWhenAsked('replying', speech('reply1', REPLY_1));
    await browser.waitUntil(async () => replies() === 2, { timeout: 40_000, timeoutMsg: 'no second push-back followed the reply' });
    await answerWhenAsked('replying', speech('reply2', REPLY_2));
  });

  it('moves on to the closing question by itself and listens to it', async () => {
    const progress = await $(byTestId('round-progress'));
    await browser.waitUntil(async () => (await progress.getText()) === 'Last: your question for the interviewer', {
      timeout: 30_000,
      timeoutMsg: 'the round did not move on to the closing question',
    });
    await answerWhenAsked('answering', speech('own', OWN));
    await answerWhenAsked('replying', speech('reply3', REPLY_1));
    await browser.waitUntil(async () => replies() === 4, { timeout: 40_000, timeoutMsg: 'no second push-back on the closing question' });
  });

  it('ends the round and tells it in order, with why each push-back was asked', async () => {
    await answerWhenAsked('replying', speech('reply4', REPLY_2));
    await $(byTestId('round-ended')).waitForDisplayed({ timeout: 30_000 });
    await browser.waitUntil(async () => (await $(byTestId('round-summary')).getAttribute('data-answers')) === '2', {
      timeout: 10_000,
      timeoutMsg: 'the summary never counted the answer and the closing one',
    });
    const takes = dbQuery<{ question_id: string; parent_id: string | null; pushback: string | null; reason: string | null }>(
      `SELECT t.question_id, t.parent_id, t.pushback, c.reason FROM takes t LEFT JOIN pushback_choices c ON c.take_id = t.id
       WHERE t.round_id IS NOT NULL ORDER BY t.started_at`,
    );
    expect(takes.map((t) => t.parent_id === null)).toEqual([true, false, false, true, false, false]);
    expect(takes[3]!.question_id).toBe('closing-your-question');
    expect(takes.filter((t) => t.parent_id !== null).every((t) => t.reason)).toBe(true);

    const lines = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="round-conversation"] li')).map((li) => [li.getAttribute('data-testid'), li.textContent ?? '']),
    );
    const said = lines.filter(([who]) => who === 'conversation-interviewer').map(([, text]) => text!.replace(/\s+/g, ' ').trim());
    expect(lines.filter(([who]) => who === 'conversation-you').length).toBe(6);
    // Greeting, question, push-back, push-back, closing question, push-back, push-back, goodbye.
    expect(said.length).toBe(8);
    expect(said[0]).toMatch(/^Interviewer Hello/);
    expect(said[4]).toContain('What would you like to ask me?');
    const pushbacks = takes.filter((t) => t.parent_id !== null);
    for (const [i, line] of [said[2], said[3], said[5], said[6]].entries()) {
      expect(line).toContain(pushbacks[i]!.pushback!);
      expect(line).toContain(`Asked because ${pushbacks[i]!.reason}.`);
    }
    expect(said[7]).toContain('that is all from me');
    await screenshot('conversation-summary');
  });
});
