// WebdriverIO configuration for the Candor end-to-end tests.
// Run through e2e/run.sh, which starts Xvfb, the sound set-up and tauri-driver first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const application = path.resolve(process.env.CANDOR_BIN ?? path.join(root, 'target', 'debug', 'candor'));
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(here, 'artifacts');

const slug = (s: string) =>
  s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);

const specName = (file?: string) =>
  process.env.E2E_SPEC ?? (file ? path.basename(file).replace(/\.[cm]?[jt]s$/, '') : 'spec');

/** One line per test ("passed\t<title>" / "failed\t<title>") for run.sh to count. */
function record(status: 'passed' | 'failed', title: string) {
  const out = process.env.E2E_RESULTS;
  if (out) fs.appendFileSync(out, `${status}\t${title.replace(/\s+/g, ' ')}\n`);
}

async function failureScreenshot(file: string | undefined, title: string) {
  try {
    fs.mkdirSync(artifacts, { recursive: true });
    const dest = path.join(artifacts, `${specName(file)}-${slug(title)}.png`);
    await browser.saveScreenshot(dest);
    console.log(`[e2e] failure screenshot: ${path.relative(root, dest)}`);
  } catch (e) {
    console.log(`[e2e] could not save a failure screenshot: ${(e as Error).message}`);
  }
}

export const config: WebdriverIO.Config = {
  runner: 'local',
  specs: ['./specs/**/*.ts'],
  maxInstances: 1,
  hostname: '127.0.0.1',
  port: Number(process.env.E2E_PORT ?? 4444),
  capabilities: [
    {
      // A non-standard name, so WebdriverIO does not try to download a browser.
      // (E2E_BROWSER_NAME only serves to try the harness with another WebKitGTK browser.)
      browserName: process.env.E2E_BROWSER_NAME ?? 'wry',
      // WebKitWebDriver has no BiDi: asking for it fails with "Failed to match capabilities".
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application },
    } as WebdriverIO.Capabilities,
  ],
  // run.sh starts the X server itself.
  autoXvfb: false,
  logLevel: 'warn',
  bail: 0,
  waitforTimeout: 15_000,
  waitforInterval: 100,
  connectionRetryTimeout: 90_000,
  connectionRetryCount: 1,
  framework: 'mocha',
  reporters: [['spec', { color: false }]],
  mochaOpts: { ui: 'bdd', timeout: 60_000 },

  // Only for trying the harness with a stand-in browser: open this page first.
  before: async () => {
    if (process.env.E2E_START_URL) await browser.url(process.env.E2E_START_URL);
  },
  afterTest: async (test, _context, { passed }) => {
    record(passed ? 'passed' : 'failed', test.title);
    if (!passed) await failureScreenshot(test.file, test.title);
  },
  // A failing before/after hook makes mocha skip tests: count it as a failure.
  afterHook: async (test, _context, { passed }, hookName) => {
    if (passed === false) {
      const title = `${hookName ?? 'hook'} ${test?.title ?? ''}`.trim();
      record('failed', title);
      await failureScreenshot(test?.file, title);
    }
  },
};
