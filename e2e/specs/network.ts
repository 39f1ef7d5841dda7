// e2e-audio: pulse
// e2e-app: strace
// No network, ever: the app (and the WebKit processes it starts) runs under `strace -f` while a
// take is recorded, replayed and reviewed; every socket it opened is listed in
// e2e/artifacts/network-sockets.txt, and any internet connection (AF_INET/AF_INET6 to anything
// but loopback, e.g. a DNS lookup) fails the spec.
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, byTestId, dbQuery, ratingCriteria, recordAnswer, screenshot, waitWizard } from '../helpers.js';
import { summarizeSockets } from '../sockets.js';

function straceLog(): string {
  const run = process.env.E2E_RUN_DIR;
  if (!run) throw new Error('E2E_RUN_DIR is not set: run the specs through e2e/run.sh');
  return path.join(run, 'strace.log');
}

describe('network', () => {
  it('runs under strace', () => {
    const log = straceLog();
    expect(fs.existsSync(log)).toBe(true);
  });

  it('records an answer and its push-back reply', async () => {
    await recordAnswer(3);
    expect(dbQuery('SELECT id FROM takes')).toHaveLength(1);
  });

  it('replays it and saves a review', async () => {
    await $(byTestId('nav-review')).click();
    const item = await $(byTestId('queue-item'));
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.$('button').click();
    await $(byTestId('wizard')).waitForDisplayed({ timeout: 10_000 });
    await $(byTestId('review-play')).click();
    await browser.waitUntil(
      async () =>
        browser.execute((sel: string) => (document.querySelector(sel) as HTMLAudioElement).currentTime, byTestId('review-player')).then((t) => t > 0.5),
      { timeout: 10_000, timeoutMsg: 'replay did not advance' },
    );
    await browser.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    for (const key of await ratingCriteria()) {
      await waitWizard(key);
      await $(byTestId(`score-${key}-3`)).click();
      await $(byTestId('wizard-next')).click();
    }
    for (const step of ['feelings', 'flags', 'commitment']) {
      await waitWizard(step);
      await $(byTestId('wizard-next')).click();
    }
    await $(byTestId('save-rating')).click();
    await $(byTestId('after-save')).waitForDisplayed({ timeout: 10_000 });
    await screenshot('network-reviewed');
    expect(dbQuery("SELECT status FROM ratings")).toEqual([{ status: 'saved' }]);
  });

  it('opened no internet connection (only local sockets)', () => {
    const text = fs.readFileSync(straceLog(), 'utf8');
    const summary = summarizeSockets(text);
    fs.mkdirSync(artifacts, { recursive: true });
    const report = [
      `strace lines: ${text.split('\n').length}`,
      `sockets by family: ${JSON.stringify(summary.families)}`,
      `connects by family: ${JSON.stringify(summary.connectFamilies)}`,
      `loopback connects/sends: ${summary.loopback.length}`,
      ...summary.loopback.map((l) => `  ${l}`),
      `internet connects/sends: ${summary.internet.length}`,
      ...summary.internet.map((l) => `  ${l}`),
    ].join('\n');
    fs.writeFileSync(path.join(artifacts, 'network-sockets.txt'), report + '\n');
    console.log(`[e2e] sockets seen:\n${report}`);
    expect(summary.syscalls).toBeGreaterThan(0);
    expect(summary.internet).toEqual([]);
  });
});
