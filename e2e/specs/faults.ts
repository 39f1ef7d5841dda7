// e2e-audio: pulse
// Faults, each in the real app: a damaged recording among good ones (Review says so plainly and
// the others still play); the app killed (SIGKILL) mid-review and mid-take (the draft and the
// take are there after a restart); and a database from a newer Candor or a damaged one (the app
// starts into a screen that explains, and the data folder is left byte for byte as it was), and
// a backup restored from that screen replaces the damaged database.
// A new WebDriver session starts a new app process: that is how the app is restarted here.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LOCK_BOOKKEEPING, byTestId, candorCli, dataDir, dbQuery, press, recordAnswer, screenshot, waitStep, waitWizard } from '../helpers.js';

const candorBin = fs.realpathSync(process.env.CANDOR_BIN ?? path.resolve('..', 'target', 'debug', 'candor'));

/** PIDs of the Candor app this spec started: its binary, with this spec's data folder. */
function appPids(): number[] {
  const want = `CANDOR_DATA_DIR=${dataDir()}`;
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readlinkSync(`/proc/${name}/exe`) !== candorBin) continue;
      const env = fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (env.includes(want)) pids.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

async function waitNoApp(): Promise<void> {
  await browser.waitUntil(async () => appPids().length === 0, { timeout: 20_000, timeoutMsg: 'the app did not exit' });
}

/** Kills the app with SIGKILL (no chance to save anything) and waits until it is gone. */
async function killApp(): Promise<void> {
  const pids = appPids();
  expect(pids).toHaveLength(1);
  process.kill(pids[0]!, 'SIGKILL');
  await waitNoApp();
}

/** Starts the app again: a new WebDriver session is a new app process. */
async function restartApp(): Promise<void> {
  await browser.reloadSession();
  await $(byTestId('nav-home')).waitForDisplayed({ timeout: 30_000 });
}

/** Ends the app cleanly (the session closes its window) and waits until it has exited. */
async function closeApp(): Promise<void> {
  try {
    await browser.deleteSession();
  } catch {
    // already gone
  }
  await waitNoApp();
}

/** The app's ~/Downloads (run.sh gives the app HOME=<run>/home beside <run>/data). */
const downloads = () => path.join(path.dirname(dataDir()), 'home', 'Downloads');
const BACKUP = 'candor-backup-before-damage.candorbackup';
let takesInBackup = -1;

/** Every file of the data folder with a hash of its bytes. */
function folderState(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      // The folder lock and its notes of who uses the folder are bookkeeping, not data.
      if (dir === dataDir() && LOCK_BOOKKEEPING.includes(e.name)) continue;
      if (e.isDirectory()) walk(p);
      else out[path.relative(dataDir(), p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dataDir());
  return out;
}

/** Changes the database with Python's sqlite3 while the app is closed. */
function sqlite(sql: string): void {
  const db = path.join(dataDir(), 'candor.db');
  execFileSync('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()\nc.close()\n', db, sql], {
    timeout: 20_000,
  });
}

const playerTime = () =>
  browser.execute((sel: string) => (document.querySelector(sel) as HTMLAudioElement | null)?.currentTime ?? -1, byTestId('review-player'));

/** Opens the queue item of a take in Review. */
async function openInReview(takeId: string): Promise<void> {
  await $(byTestId('nav-review')).click();
  await $(byTestId('queue-item')).waitForDisplayed({ timeout: 15_000 });
  const ids = dbQuery<{ id: string }>(
    "SELECT id FROM takes WHERE parent_id IS NULL AND status != 'recording' AND frames > 0 AND id NOT IN (SELECT take_id FROM reviews WHERE status = 'done') ORDER BY started_at, rowid",
  ).map((r) => r.id);
  const i = ids.indexOf(takeId);
  expect(i).toBeGreaterThanOrEqual(0);
  const items = await $$(byTestId('queue-item'));
  expect(items.length).toBe(ids.length);
  await items[i]!.$('button').click();
}

let damagedId = '';
let goodId = '';

describe('faults', () => {
  it('records two answers', async () => {
    await recordAnswer(3);
    await recordAnswer(3);
    const ids = dbQuery<{ id: string }>('SELECT id FROM takes WHERE parent_id IS NULL ORDER BY started_at, rowid').map((r) => r.id);
    expect(ids).toHaveLength(2);
    [damagedId, goodId] = ids as [string, string];
  });

  it('a damaged recording: Review says so plainly, nothing is lost, and the other answer still plays', async () => {
    const file = path.join(dataDir(), 'recordings', `${damagedId}.wav`);
    // A garbage header over the first 44 bytes, as a bad disk or a stray tool might leave it.
    const bytes = fs.readFileSync(file);
    bytes.fill(0xaa, 0, 44);
    fs.writeFileSync(file, bytes);
    const before = crypto.createHash('sha256').update(bytes).digest('hex');

    await openInReview(damagedId);
    const panel = await $(byTestId('damaged-take'));
    await panel.waitForDisplayed({ timeout: 15_000 });
    const message = await $(byTestId('damaged-take-message')).getText();
    expect(message).toContain('recording of this answer is damaged');
    expect(message).toContain('other answers are fine');
    expect(message).not.toContain('/');
    expect(await $(byTestId('error-message')).isExisting()).toBe(false);
    await screenshot('faults-damaged-take');
    // Nothing was changed or removed.
    expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
    expect(dbQuery(`SELECT status FROM takes WHERE id = '${damagedId}'`)).toEqual([{ status: 'complete' }]);

    await $(byTestId('damaged-dismiss')).click();
    await openInReview(goodId);
    await waitWizard('complexity');
    await $(byTestId('review-play')).click();
    await browser.waitUntil(async () => (await playerTime()) > 1.0, { timeout: 10_000, timeoutMsg: 'the good answer did not play' });
    await press(' ');
  });

  it('killed mid-review: after a restart the draft is there with its values', async () => {
    // Still in the good answer's rating: two steps with values, then a third step reached.
    await browser.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    await $(byTestId('score-complexity-3')).click();
    await $(byTestId('check-complexity-0-partly')).click();
    await $(byTestId('note-complexity')).setValue('Hedged at the start');
    await $(byTestId('wizard-next')).click();
    await waitWizard('gaps');
    await $(byTestId('score-gaps-5')).click();
    await $(byTestId('wizard-next')).click();
    await waitWizard('second_order');
    await browser.waitUntil(async () => dbQuery("SELECT step FROM ratings WHERE status = 'draft'").length === 1, {
      timeout: 5_000,
      timeoutMsg: 'no draft was saved',
    });

    await killApp();
    await restartApp();
    await openInReview(goodId);
    await waitWizard('second_order');
    await $(byTestId('wizard-back')).click();
    await waitWizard('gaps');
    expect(await $(byTestId('score-gaps-5')).getAttribute('aria-checked')).toBe('true');
    await $(byTestId('wizard-back')).click();
    await waitWizard('complexity');
    expect(await $(byTestId('score-complexity-3')).getAttribute('aria-checked')).toBe('true');
    expect(await $(byTestId('note-complexity')).getValue()).toBe('Hedged at the start');
    await screenshot('faults-draft-after-kill');
    await $('button=← All answers').click();
  });

  it('killed mid-take: after a restart the take is listed as recovered and plays', async () => {
    await $(byTestId('nav-home')).click();
    const start = await $(byTestId('practice-suggested'));
    await start.waitForClickable({ timeout: 30_000 });
    await start.click();
    await waitStep('ready');
    await press(' ');
    await $(byTestId('recording-indicator')).waitForDisplayed({ timeout: 15_000 });
    await browser.pause(4000);
    const id = dbQuery<{ id: string }>("SELECT id FROM takes WHERE status = 'recording'")[0]!.id;
    await killApp();
    expect(dbQuery(`SELECT status FROM takes WHERE id = '${id}'`)).toEqual([{ status: 'recording' }]);

    await restartApp();
    const notice = await $('.notice');
    await notice.waitForDisplayed({ timeout: 15_000 });
    expect(await notice.getText()).toContain('recovered');
    const row = dbQuery<{ status: string; frames: number }>(`SELECT status, frames FROM takes WHERE id = '${id}'`)[0]!;
    expect(row.status).toBe('recovered');
    // At least 2 s of the ~4 s recorded (the writer flushes about once a second).
    expect(row.frames).toBeGreaterThan(2 * 16_000);
    await screenshot('faults-recovered-notice');
    await openInReview(id);
    await waitWizard('complexity');
    await $(byTestId('review-play')).click();
    await browser.waitUntil(async () => (await playerTime()) > 1.0, { timeout: 10_000, timeoutMsg: 'the recovered take did not play' });
    await press(' ');
  });

  it('a database from a newer Candor: a clear screen, and the data folder is left untouched', async () => {
    await closeApp();
    // A backup made with this version first (to Downloads, outside the data folder), for the
    // restore offered later.
    fs.mkdirSync(downloads(), { recursive: true });
    execFileSync(candorCli, ['--data-dir', dataDir(), 'backup', path.join(downloads(), BACKUP)], { timeout: 60_000 });
    takesInBackup = dbQuery<{ n: number }>('SELECT count(*) AS n FROM takes')[0]!.n;
    sqlite('PRAGMA user_version = 999;');
    const before = folderState();
    expect(Object.keys(before)).toContain('candor.db');
    expect(Object.keys(before).filter((f) => f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);

    await restartApp();
    const problem = await $(byTestId('data-problem'));
    await problem.waitForDisplayed({ timeout: 15_000 });
    expect(await problem.getAttribute('data-kind')).toBe('newer');
    expect(await $(byTestId('data-problem-message')).getText()).toContain('newer version of Candor');
    expect(await $(byTestId('data-problem-untouched')).getText()).toContain('has not changed anything');
    expect(await $(byTestId('restore-hook')).isExisting()).toBe(true);
    expect(await $(byTestId('practice-suggested')).isExisting()).toBe(false);
    await screenshot('faults-newer-database');
    await closeApp();
    expect(folderState()).toEqual(before);
  });

  it('a damaged database: a clear screen, and the data folder is left untouched', async () => {
    const db = path.join(dataDir(), 'candor.db');
    const bytes = fs.readFileSync(db);
    fs.writeFileSync(db, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = folderState();

    await restartApp();
    const problem = await $(byTestId('data-problem'));
    await problem.waitForDisplayed({ timeout: 15_000 });
    expect(await problem.getAttribute('data-kind')).toBe('corrupt');
    expect(await $(byTestId('data-problem-message')).getText()).toContain('damaged');
    await screenshot('faults-damaged-database');
    await closeApp();
    expect(folderState()).toEqual(before);
  });

  it('the damaged database is replaced by restoring a backup from that screen', async () => {
    await restartApp();
    await $(byTestId('data-problem')).waitForDisplayed({ timeout: 15_000 });
    await $(byTestId('restore-from-backup')).click();
    const file = await $(`[data-testid="backup-file"][data-name="${BACKUP}"]`);
    await file.waitForDisplayed({ timeout: 15_000 });
    // Only the restore is offered: no export, backup or recordings without a database.
    expect(await $(byTestId('export-csv')).isExisting()).toBe(false);
    await file.$(byTestId('restore')).click();
    await $(byTestId('confirm-yes')).click();
    const notice = await $('.notice');
    await notice.waitForDisplayed({ timeout: 30_000 });
    expect(await notice.getText()).toContain('restored');
    expect(await $(byTestId('data-problem')).isExisting()).toBe(false);
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 15_000 });
    expect(dbQuery<{ n: number }>('SELECT count(*) AS n FROM takes')[0]!.n).toBe(takesInBackup);
    await screenshot('faults-restored-over-damaged');
    await closeApp();
    // Leave a live session for the runner to end.
    await browser.reloadSession();
  });
});
