// e2e-audio: silent
// e2e-dbus: session
// e2e-lane: alone
// One Candor at a time, and a window that opens where it was left: a second `candor` start
// (with the first running) hands over to the first and exits without ever opening the database;
// a window resized and moved through WebDriver has that size and position after a restart.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { byTestId, dataDir, screenshot, xWindowNames } from '../helpers.js';

/** The app's own environment (run.sh writes it), as an object for child_process. */
function appEnv(): Record<string, string> {
  const file = process.env.E2E_APP_ENV;
  if (!file) throw new Error('E2E_APP_ENV is not set: run the specs through e2e/run.sh');
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

/** Runs a command to its end; resolves with its exit code (null if it had to be killed). */
function runToEnd(cmd: string, args: string[], env: Record<string, string>, limitMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: 'ignore' });
    const guard = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve(code);
    });
  });
}

const candorWindows = () => xWindowNames().filter((n) => n === 'Candor').length;

describe('instance', () => {
  it('starts with its one window', async () => {
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    expect(appEnv().DBUS_SESSION_BUS_ADDRESS).toBeTruthy();
    expect(candorWindows()).toBe(1);
  });

  it('a second start hands over to the first and exits without touching the database', async () => {
    const bin = process.env.CANDOR_REAL_BIN ?? process.env.CANDOR_BIN;
    if (!bin) throw new Error('CANDOR_BIN is not set');
    const log = path.join(process.env.E2E_RUN_DIR ?? '/tmp', 'second-instance.strace');
    // strace records every file the second process opens: candor.db must not be one of them.
    const code = await runToEnd(
      'strace',
      ['-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', log, bin],
      appEnv(),
      60_000,
    );
    expect(code).toBe(0);
    const opened = fs.readFileSync(log, 'utf8');
    expect(opened.length).toBeGreaterThan(0);
    expect(opened).not.toContain(path.join(dataDir(), 'candor.db'));
    expect(opened).not.toContain(path.join(dataDir(), 'recordings'));
    // Still exactly one window, and the first app still answers.
    expect(candorWindows()).toBe(1);
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 10_000 });
  });

  it('remembers the window size and position across a restart', async () => {
    await browser.setWindowRect(40, 30, 900, 640);
    await browser.waitUntil(
      async () => {
        const r = await browser.getWindowRect();
        return r.width === 900 && r.height === 640;
      },
      { timeout: 10_000, timeoutMsg: 'the window was not resized' },
    );
    const before = await browser.getWindowRect();
    console.log(`[e2e] window before restart: ${JSON.stringify(before)}`);
    await screenshot('instance-resized');
    // The app writes the state shortly after the change: restart once it is on disk.
    const saved = path.join(appEnv().XDG_CONFIG_HOME ?? '', 'org.candor.Candor', '.window-state.json');
    const savedMain = (): { width?: number; height?: number } | undefined => {
      try {
        return (JSON.parse(fs.readFileSync(saved, 'utf8')) as Record<string, { width?: number; height?: number }>).main;
      } catch {
        return undefined;
      }
    };
    await browser.waitUntil(async () => savedMain()?.width !== undefined && savedMain()?.width !== 1100, {
      timeout: 10_000,
      timeoutMsg: `the window state was never saved in ${saved}`,
    });
    console.log(`[e2e] saved window state: ${JSON.stringify(savedMain())}`);
    await browser.reloadSession();
    await $(byTestId('practice-suggested')).waitForDisplayed({ timeout: 30_000 });
    const after = await browser.getWindowRect();
    console.log(`[e2e] window after restart: ${JSON.stringify(after)}`);
    expect({ width: after.width, height: after.height }).toEqual({ width: 900, height: 640 });
    expect({ x: after.x, y: after.y }).toEqual({ x: before.x, y: before.y });
    expect(candorWindows()).toBe(1);
  });
});
