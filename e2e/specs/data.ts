// e2e-audio: silent
// Your data: a seeded, rated take with a marker is exported as CSV and JSON (files land in the
// run's ~/Downloads, never over each other), backed up with a progress bar, its audio deleted
// (ratings kept; the review shows "audio deleted"), restored from the backup (audio and rows identical), and a corrupted copy of
// the backup is refused with the message shown and nothing changed.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LOCK_BOOKKEEPING, byTestId, dataDir, dbQuery, screenshot, screenshotRoot, xWindowNames } from '../helpers.js';

const TAKE = 'd'.repeat(32);
const wav = () => path.join(dataDir(), 'recordings', `${TAKE}.wav`);
/** The app's ~/Downloads (run.sh gives the app HOME=<run>/home beside <run>/data). */
const downloads = () => path.join(path.dirname(dataDir()), 'home', 'Downloads');
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** A take as Candor stores it, rated once with a marker; written beside the running app (WAL). */
function seed(): void {
  const script = `
import math, sqlite3, struct, sys, wave
data, take = sys.argv[1], sys.argv[2]
with wave.open(f"{data}/recordings/{take}.wav", "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(32000)))
c = sqlite3.connect(f"{data}/candor.db")
c.execute("PRAGMA foreign_keys = ON")
c.execute("INSERT INTO takes (id, question_id, status, sample_rate, frames, device_name) VALUES (?, 'cv-planned-vs-aspired', 'complete', 16000, 32000, 'Seed')", (take,))
c.execute("INSERT INTO ratings (id, take_id, kind, status, commitment, saved_at) VALUES ('r1', ?, 'immediate', 'saved', 'Pause before answering.', '2026-11-27T03:00:00Z')", (take,))
c.execute("INSERT INTO rating_scores (rating_id, criterion, score, note) VALUES ('r1', 'gaps', 4, 'said I did not know')")
c.execute("INSERT INTO markers (id, take_id, at_s, tag, note) VALUES ('m1', ?, 0.75, 'gaps', 'here, honest')", (take,))
c.commit()
`;
  execFileSync('python3', ['-c', script, dataDir(), TAKE], { timeout: 20_000 });
}

/** The rows the backup must bring back, as JSON text. */
function rows(): string {
  return JSON.stringify(
    ['takes', 'ratings', 'rating_scores', 'markers', 'take_metrics'].map((t) => dbQuery(`SELECT * FROM ${t} ORDER BY rowid`)),
  );
}

async function openData(): Promise<void> {
  await $(byTestId('nav-home')).click();
  await $(byTestId('nav-data')).click();
  await $(byTestId('data-screen')).waitForDisplayed({ timeout: 10_000 });
}

async function idle(): Promise<void> {
  await browser.waitUntil(async () => (await $(byTestId('data-screen')).getAttribute('data-busy')) === '', {
    timeout: 30_000,
    timeoutMsg: 'the data screen stayed busy',
  });
}

async function message(): Promise<string> {
  const m = await $(byTestId('data-message'));
  await m.waitForDisplayed({ timeout: 15_000 });
  return m.getText();
}

let rowsBefore = '';
let wavSha = '';
let backupName = '';

describe('data', () => {
  it('lists a seeded take with the room its audio uses', async () => {
    await $(byTestId('nav-data')).waitForClickable({ timeout: 30_000 });
    seed();
    rowsBefore = rows();
    wavSha = sha(wav());
    await openData();
    const row = await $(`[data-testid="recording"][data-take-id="${TAKE}"]`);
    await row.waitForDisplayed({ timeout: 10_000 });
    expect(await row.$(byTestId('recording-size')).getText()).toBe('63 KB');
    // The question's prompt, not its id (the text may be cut with an ellipsis on screen).
    expect(String(await row.$('.prompt').getProperty('textContent'))).toMatch(/^Answer to “Core Views .+”$/);
    expect(await $(byTestId('recordings-total')).getText()).toBe('63 KB');
    await screenshot('data-screen');
  });

  it('opens the take in review, which measures and stores its delivery', async () => {
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await $(byTestId('review-player')).waitForExist({ timeout: 15_000 });
    expect(dbQuery(`SELECT take_id FROM take_metrics WHERE take_id = '${TAKE}'`).length).toBe(1);
    rowsBefore = rows();
    await openData();
  });

  it('exports CSV and JSON into Downloads, never over an earlier export', async () => {
    await $(byTestId('export-csv')).click();
    expect(await message()).toBe('Saved to your Downloads folder as candor-ratings.csv.');
    const csv = fs.readFileSync(path.join(downloads(), 'candor-ratings.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^take_id,question_id,parent_id,recorded_at,duration_s,rating_id,kind,rated_at,complexity_score,/);
    expect(csv.length).toBe(2);
    expect(csv[1]).toContain(`${TAKE},cv-planned-vs-aspired,,`);
    expect(csv[1]).toContain(',r1,immediate,2026-11-27T03:00:00Z,');
    expect(csv[1]).toContain('said I did not know');

    await $(byTestId('export-json')).click();
    await idle();
    expect(await message()).toBe('Saved to your Downloads folder as candor-ratings.json.');
    const json = JSON.parse(fs.readFileSync(path.join(downloads(), 'candor-ratings.json'), 'utf8'));
    expect(json.format).toBe('candor-ratings');
    expect(json.takes.length).toBe(1);
    expect(json.takes[0].ratings[0].scores[0]).toEqual({ criterion: 'gaps', score: 4, note: 'said I did not know', checks: [] });
    expect(json.takes[0].markers).toEqual([{ at_s: 0.75, tag: 'gaps', note: 'here, honest' }]);

    await $(byTestId('export-csv')).click();
    await idle();
    expect(await message()).toBe('Saved to your Downloads folder as candor-ratings (1).csv.');
    expect(fs.existsSync(path.join(downloads(), 'candor-ratings (1).csv'))).toBe(true);
  });

  it('backs up with a progress bar; the archive appears in Downloads and in the restore list', async () => {
    await $(byTestId('backup')).click();
    await $(byTestId('backup-progress')).waitForDisplayed({ timeout: 10_000 });
    await idle();
    const text = await message();
    expect(text).toContain('1 recording');
    backupName = /as (candor-backup-\d{4}-\d{2}-\d{2}\.candorbackup)\.$/.exec(text)![1]!;
    expect(fs.existsSync(path.join(downloads(), backupName))).toBe(true);
    // The bar's value comes only from the progress channel: it reached the end.
    expect(await $(byTestId('backup-progress')).$('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');
    await $(`[data-testid="backup-file"][data-name="${backupName}"]`).waitForDisplayed({ timeout: 10_000 });
  });

  it('deletes only the audio after confirming; the ratings and markers stay', async () => {
    const row = await $(`[data-testid="recording"][data-take-id="${TAKE}"]`);
    await row.$(byTestId('delete-audio')).click();
    await row.$(byTestId('confirm-no')).click();
    expect(fs.existsSync(wav())).toBe(true);
    await row.$(byTestId('delete-audio')).click();
    await row.$(byTestId('confirm-yes')).click();
    await browser.waitUntil(async () => (await row.$(byTestId('recording-size')).getText()) === 'recording deleted', {
      timeout: 10_000,
      timeoutMsg: 'the take never showed "recording deleted"',
    });
    expect(fs.existsSync(wav())).toBe(false);
    expect(dbQuery('SELECT id FROM ratings').length).toBe(1);
    expect(dbQuery('SELECT id FROM markers').length).toBe(1);
    await screenshot('data-audio-deleted');
    // The review still opens, with the ratings and markers and no player.
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await $(byTestId('audio-deleted')).waitForDisplayed({ timeout: 15_000 });
    expect(await $(byTestId('review-player')).isExisting()).toBe(false);
    await openData();
  });

  it('restores the backup after confirming: audio back byte for byte, rows identical', async () => {
    const item = await $(`[data-testid="backup-file"][data-name="${backupName}"]`);
    await item.$(byTestId('restore')).click();
    await $(byTestId('confirm-yes')).click();
    await idle();
    expect(await message()).toContain(`Restored ${backupName}`);
    expect(await $(byTestId('restore-progress')).$('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');
    expect(sha(wav())).toBe(wavSha);
    expect(rows()).toBe(rowsBefore);
    const row = await $(`[data-testid="recording"][data-take-id="${TAKE}"]`);
    await browser.waitUntil(async () => (await row.$(byTestId('recording-size')).getText()) === '63 KB', {
      timeout: 10_000,
      timeoutMsg: 'the restored take did not show its audio',
    });
  });

  it('refuses a corrupted copy with the message shown and nothing changed', async () => {
    const bytes = fs.readFileSync(path.join(downloads(), backupName));
    const at = bytes.indexOf(Buffer.from('WAVEfmt ')) + 5000;
    bytes[at] = bytes[at]! ^ 0x55;
    fs.writeFileSync(path.join(downloads(), 'damaged-copy.candorbackup'), bytes);
    await openData();
    const item = await $('[data-testid="backup-file"][data-name="damaged-copy.candorbackup"]');
    await item.waitForDisplayed({ timeout: 10_000 });
    await item.$(byTestId('restore')).click();
    await $(byTestId('confirm-yes')).click();
    await idle();
    const problem = await $(byTestId('data-problem'));
    await problem.waitForDisplayed({ timeout: 15_000 });
    const text = await problem.getText();
    expect(text).toContain('This backup cannot be restored');
    expect(text).toContain('does not match its checksum');
    expect(text).toContain('Nothing was changed');
    expect(await $(byTestId('restore-progress')).isExisting()).toBe(false);
    expect(sha(wav())).toBe(wavSha);
    expect(rows()).toBe(rowsBefore);
    expect(fs.readdirSync(dataDir()).filter((n) => n.startsWith('.') && !LOCK_BOOKKEEPING.includes(n))).toEqual([]);
    await screenshot('data-refused');
  });

  it('"Choose a file…" asks first, then opens the system file chooser (which WebDriver cannot drive)', async () => {
    await $(byTestId('restore-choose')).click();
    await $(byTestId('confirm-no')).click();
    expect(xWindowNames()).not.toContain('Choose a Candor backup');
    await $(byTestId('restore-choose')).click();
    await $(byTestId('confirm-yes')).click();
    await browser.waitUntil(() => xWindowNames().includes('Choose a Candor backup'), {
      timeout: 15_000,
      timeoutMsg: 'the file chooser never opened',
    });
    screenshotRoot('data-file-chooser');
    // Nothing was restored while the chooser waits.
    expect(rows()).toBe(rowsBefore);
  });
});
