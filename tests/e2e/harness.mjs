// Shared browser set-up for the e2e tests: Debian's chromium through playwright-core, phone-sized pages,
// axe-core checks, and sign-in.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.NOK_E2E_BASE ?? 'http://127.0.0.1:8080';
export const PASSWORD = 'demo-password';

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A phone-sized page (a cheap Android phone: 360×740). CSP is bypassed only so axe can be injected. */
export async function phonePage(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true, locale: 'ru-RU' });
  return context.newPage();
}

/** Runs axe-core (WCAG 2.1 A/AA rules) and fails with the list of violations. */
export async function assertAccessible(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(violations, [], `axe violations on ${label}`);
}

/**
 * axe-core for a page of a context without JavaScript, where timers never fire and axe cannot run: the page's
 * HTML is loaded again, at the same address and size, in a context with JavaScript that runs none of the
 * page's scripts, and checked there.
 */
export async function assertAccessibleAsServed(browser, page, label) {
  const url = page.url();
  const html = await page.content();
  const context = await browser.newContext({ viewport: page.viewportSize(), bypassCSP: true, locale: 'ru-RU' });
  const copy = await context.newPage();
  await copy.route('**/*.js', (route) => route.abort());
  await copy.route((u) => u.href === url, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await copy.goto(url);
  await assertAccessible(copy, label);
  await context.close();
}

export async function signIn(page, login) {
  await page.goto(`${BASE}/login`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  // The login form's own button: when someone is signed in already, the header's logout button comes first.
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  if (new URL(page.url()).pathname === '/login') throw new Error(`sign-in as ${login} failed`);
}
