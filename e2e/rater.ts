// A friend or coach opening the second-opinion page in a real browser: Debian's Chromium driven
// through chromium-driver (WebDriver), headless, with every network address sent to a proxy that
// is not there (so a request could not succeed even if the page made one), its downloads going
// to the folder given. What the browser itself logged of every request is returned, so a spec
// can check that nothing but the page and its own blob: audio was asked for.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';

/** What happened in the browser. */
export interface RaterSession {
  /** The browser, for the spec to rate with. */
  page: WebdriverIO.Browser;
  /** Every URL the page requested (Network.requestWillBeSent from the performance log). */
  requests(): Promise<string[]>;
  /** Console messages of level SEVERE (errors, CSP violations). */
  errors(): Promise<string[]>;
  /** Ends the browser and its driver. */
  close(): Promise<void>;
}

async function waitForPort(port: number, within: number): Promise<void> {
  const until = Date.now() + within;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`chromedriver did not listen on ${port}`);
}

/** Opens `file` (an absolute path) in headless Chromium; downloads land in `downloads`. */
export async function openAsRater(file: string, downloads: string): Promise<RaterSession> {
  // Out of the way of tauri-driver's ports, and of another run's.
  const port = Number(process.env.E2E_PORT ?? 4444) + 5071;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-rater-'));
  const driver: ChildProcess = spawn('chromedriver', [`--port=${port}`], { stdio: 'ignore' });
  await waitForPort(port, 15_000);
  // chromium-driver's own capability for the browser's logs (not in WebdriverIO's types).
  const capabilities = {
    browserName: 'chrome',
    'wdio:enforceWebDriverClassic': true,
    'goog:chromeOptions': {
      binary: '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--proxy-server=127.0.0.1:9',
        '--autoplay-policy=no-user-gesture-required',
        '--window-size=1100,900',
        `--user-data-dir=${profile}`,
      ],
      prefs: { 'download.default_directory': downloads, 'download.prompt_for_download': false },
    },
    'goog:loggingPrefs': { performance: 'ALL', browser: 'ALL' },
  } as WebdriverIO.Capabilities;
  const page = await remote({ hostname: '127.0.0.1', port, path: '/', logLevel: 'error', capabilities });
  const seen: string[] = [];
  const severe: string[] = [];
  const drain = async (): Promise<void> => {
    for (const e of await page.getLogs('performance')) {
      const m = JSON.parse((e as { message: string }).message).message as { method: string; params: { request?: { url: string } } };
      if (m.method === 'Network.requestWillBeSent' && m.params.request) seen.push(m.params.request.url);
    }
    for (const e of await page.getLogs('browser')) {
      const l = e as { level: string; message: string };
      if (l.level === 'SEVERE') severe.push(l.message);
    }
  };
  await page.url(`file://${file}`);
  return {
    page,
    requests: async () => {
      await drain();
      return [...seen];
    },
    errors: async () => {
      await drain();
      return [...severe];
    },
    close: async () => {
      await page.deleteSession().catch(() => {});
      driver.kill('SIGTERM');
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
