// e2e-audio: silent
// e2e-model: test
// e2e-voice: speechd
// The interviewer speaks and listens, hands-free: with the voice and auto-stop on (set in the
// real Settings screen), the question is said through speech-dispatcher into the sound server
// (its monitor, recorded, holds the question's words), the answer is recorded once it has been
// said and holds none of them, a silence ends the take and keeps it, the push-back presses on
// what the answer left out (no uncertainty voiced) and is said, the reply is recorded and ends by
// itself, the next push-back follows with no key (a take stopped with Space waits for a key);
// Review says why the push-back was asked, and listen-only hides the question until T.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { byTestId, candorCli, dbQuery, press, screenshot, waitStep } from '../helpers.js';
import { appEnv as env, playIntoMic as say, runDir as run, settingsCheck, speech, words } from '../voice.js';

// An answer that voices no doubt at all, and a reply that does.
const ANSWER = 'We moved the evaluations to every month. The cadence breaks first, long before the thresholds do.';
const REPLY = 'I am not sure how often it fails. I would ask the team for the numbers.';

let monitor: ChildProcess | null = null;
let prompt = '';
let answerId = '';

describe('interviewer', () => {
  it('turns the voice and auto-stop on in Settings', async () => {
    await $(byTestId('nav-settings')).click();
    await settingsCheck('setting-voice-on', true);
    await settingsCheck('setting-auto-stop-on', true);
    expect(await $(byTestId('setting-auto-stop')).getValue()).toBe('4');
    await $(byTestId('save-settings')).click();
    await $(byTestId('settings-saved')).waitForDisplayed({ timeout: 10_000 });
    await screenshot('settings-interviewer');
  });

  it('says the question, then records the answer without it, and stops after a silence', async () => {
    // Everything the sound server plays is recorded from its monitor meanwhile.
    monitor = spawn('parec', ['--device=vsink.monitor', '--format=s16le', '--channels=1', '--rate=16000'], {
      env,
      stdio: ['ignore', fs.openSync(path.join(run, 'monitor.raw'), 'w'), 'ignore'],
    });
    const answer = speech('answer', ANSWER);
    await $(byTestId('nav-home')).click();
    const start = await $(byTestId('practice-suggested'));
    await start.waitForClickable({ timeout: 30_000 });
    await start.click();
    prompt = (await $(byTestId('question-prompt')).getText()).trim();
    await $(byTestId('interviewer-speaking')).waitForDisplayed({ timeout: 10_000 });
    await screenshot('interviewer-asking');
    // Said to its end: the answer is being recorded, no key pressed.
    await waitStep('answering', 60_000);
    say(answer);
    // Four seconds of silence after it end the take, which is kept: the interviewer goes over it.
    await browser.waitUntil(async () => ['choosing', 'pushback'].includes((await $(byTestId('practice')).getAttribute('data-step')) ?? ''), {
      timeout: 30_000,
      timeoutMsg: 'the answer did not end by itself after the silence',
    });
    monitor.kill('SIGTERM');
    await new Promise((r) => monitor?.once('exit', r));

    // The sound server carried the question: transcribed, it holds the question's words.
    const raw = path.join(run, 'monitor.raw');
    const wav = path.join(run, 'monitor.wav');
    execFileSync('sox', ['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', raw, wav]);
    const heard = JSON.parse(
      execFileSync(candorCli, ['transcribe', wav, '--model', process.env.CANDOR_TEST_MODEL ?? env.CANDOR_TEST_MODEL ?? '', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, CANDOR_DATA_DIR: path.join(run, 'scratch') },
        timeout: 120_000,
      }),
    ) as { text: string };
    const said = words(heard.text);
    const key = words(prompt).filter((w) => w.length >= 6 && !words(ANSWER).includes(w));
    expect(key.length).toBeGreaterThan(0);
    const found = key.filter((w) => said.includes(w));
    expect(found.length).toBeGreaterThanOrEqual(Math.min(2, key.length));

    // The take holds the answer and none of the interviewer's words.
    answerId = dbQuery<{ id: string }>('SELECT id FROM takes WHERE parent_id IS NULL')[0]!.id;
    await browser.waitUntil(async () => dbQuery(`SELECT take_id FROM transcripts WHERE take_id = '${answerId}'`).length === 1, {
      timeout: 60_000,
      timeoutMsg: 'the answer was never transcribed',
    });
    const take = words(dbQuery<{ text: string }>(`SELECT text FROM transcripts WHERE take_id = '${answerId}'`)[0]!.text);
    expect(take).toEqual(expect.arrayContaining(['cadence']));
    expect(key.filter((w) => take.includes(w))).toEqual([]);
  });

  it('presses on the uncertainty the answer never voiced, says it, and records the reply', async () => {
    const reply = speech('reply', REPLY);
    // Said (while the checks above ran), the reply is being recorded under it.
    await waitStep('replying', 60_000);
    const text = (await $(byTestId('pushback-text')).getText()).toLowerCase();
    expect(text).toMatch(/know least about|don't you know here/);
    await screenshot('interviewer-pushback');
    say(reply);
    // The reply ends by itself too, and the next push-back is asked and its reply recorded.
    await browser.waitUntil(async () => dbQuery(`SELECT id FROM takes WHERE parent_id = '${answerId}'`).length === 2, {
      timeout: 60_000,
      timeoutMsg: 'no second push-back followed the reply',
    });
    await waitStep('replying', 30_000);
    // A take stopped with Space waits for the next key, hands-free or not.
    await browser.pause(500);
    await press(' ');
    await waitStep('replied', 30_000);
    await press('Enter');
    await waitStep('done', 30_000);
    const kept = dbQuery<{ rule: string }>(
      `SELECT c.rule FROM pushback_choices c JOIN takes t ON t.id = c.take_id WHERE t.parent_id = '${answerId}' ORDER BY t.started_at`,
    );
    expect(kept[0]?.rule).toBe('no_uncertainty');
    expect(kept.length).toBe(2);
  });

  it('says in Review why the push-back was asked', async () => {
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await $(byTestId('play-reply')).waitForClickable({ timeout: 15_000 });
    await $$(byTestId('play-reply'))[0]!.click();
    const why = await $(byTestId('pushback-reason'));
    await why.waitForDisplayed({ timeout: 10_000 });
    expect(await why.getText()).toBe('Asked because the answer voiced no uncertainty.');
    await screenshot('review-pushback-reason');
  });

  it('keeps the question hidden in listen-only mode until T', async () => {
    await $(byTestId('nav-settings')).click();
    await settingsCheck('setting-listen-only', true);
    await $(byTestId('save-settings')).click();
    await $(byTestId('settings-saved')).waitForDisplayed({ timeout: 10_000 });
    expect(dbQuery<{ value: string }>(`SELECT value FROM settings WHERE key = 'listen_only'`)[0]?.value).toBe('1');
    await $(byTestId('nav-home')).click();
    const start = await $(byTestId('practice-suggested'));
    await start.waitForClickable({ timeout: 30_000 });
    await start.click();
    await $(byTestId('question-hidden')).waitForDisplayed({ timeout: 10_000 });
    expect(await $(byTestId('question-prompt')).isExisting()).toBe(false);
    await screenshot('interviewer-listen-only');
    await press('t');
    await $(byTestId('question-prompt')).waitForDisplayed({ timeout: 5_000 });
    // Space cuts the voice short and records at once; Space again stops.
    await press(' ');
    await waitStep('answering', 15_000);
    await browser.pause(1000);
    await press(' ');
    await waitStep('decide', 15_000);
  });
});
