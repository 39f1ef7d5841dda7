// Accessibility checks for the end-to-end specs: axe-core (an npm dev dependency of e2e/, never
// bundled into the app) injected into the app's page through WebDriver and run on what it shows.
import fs from 'node:fs';
import { createRequire } from 'node:module';

/** What axe reports of one rule that failed (the fields the specs use). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The impacts that fail a spec. */
export const BLOCKING_IMPACTS = ['serious', 'critical'];

let source: string | undefined;

/** axe.min.js from e2e/node_modules, read once. */
function axeSource(): string {
  if (source === undefined) {
    const file = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    source = fs.readFileSync(file, 'utf8');
  }
  return source;
}

/**
 * Puts axe into the page unless it is there already (the app is one page: it stays until a reload).
 * The source is sent as the script's own body: the app's Content-Security-Policy has no
 * 'unsafe-eval', so the page could not `eval` it, while WebDriver's scripts are not bound by it.
 */
export async function injectAxe(): Promise<void> {
  const present = await browser.execute(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (present) return;
  await browser.execute(`${axeSource()}\n;return typeof window.axe;`);
  const ok = await browser.execute(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!ok) throw new Error('axe-core could not be injected into the page');
}

/** The rules whose outcome a change of theme can change: the theme only sets colours. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * Runs axe on the whole document and returns its violations (every impact): every rule axe runs
 * by default, or only `rules`.
 */
export async function axeViolations(rules?: string[]): Promise<AxeViolation[]> {
  await injectAxe();
  const options: Record<string, unknown> = { resultTypes: ['violations'] };
  if (rules) options.runOnly = { type: 'rule', values: rules };
  const res = await browser.executeAsync((opts: Record<string, unknown>, done: (r: string) => void) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown }> } }).axe;
    axe
      .run(document, opts)
      .then((r) => done(JSON.stringify(r.violations)))
      .catch((e: unknown) => done(JSON.stringify({ error: String(e) })));
  }, options);
  const parsed = JSON.parse(res) as AxeViolation[] | { error: string };
  if (!Array.isArray(parsed)) throw new Error(`axe failed to run: ${parsed.error}`);
  return parsed;
}

/** The violations a spec fails on: serious or critical. */
export const blocking = (vs: AxeViolation[]): AxeViolation[] => vs.filter((v) => BLOCKING_IMPACTS.includes(v.impact ?? ''));

/** Violations found where (a screen, a state, a theme). */
export interface Finding {
  where: string;
  violations: AxeViolation[];
}

/**
 * One line per rule and set of elements (the first `maxTargets` of them), with the places it was
 * found, for a developer to act on: `rule [impact] help — targets — in: home (light), …`.
 */
export function describeFindings(found: Finding[], maxTargets = 4): string {
  const lines = new Map<string, { head: string; where: string[] }>();
  for (const f of found) {
    for (const v of f.violations) {
      const targets = v.nodes.slice(0, maxTargets).map((n) => n.target.map(String).join(' ')).join(', ');
      const more = v.nodes.length > maxTargets ? ` (+${v.nodes.length - maxTargets} more)` : '';
      const head = `${v.id} [${v.impact}] ${v.help} — ${targets}${more}`;
      const line = lines.get(head) ?? { head, where: [] };
      line.where.push(f.where);
      lines.set(head, line);
    }
  }
  return [...lines.values()].map((l) => `${l.head} — in: ${l.where.join(', ')}`).join('\n');
}
