// The foundation in a real browser at phone size: public home, sign-in, registry; keyboard use;
// the low-vision mode; axe-core finds no violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phonePage, assertAccessible, signIn, BASE } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home page is Russian, accessible and searchable', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await assertAccessible(page, '/');
  await page.fill('#q', 'школа');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  assert.match(await page.textContent('main'), /Найдено/);
  await assertAccessible(page, '/?q=школа');
});

test('the skip link is the first tab stop and moves focus to the content', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Перейти к содержанию');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');
});

test('low-vision mode enlarges text and is remembered', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/`);
  const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await Promise.all([page.waitForNavigation(), page.click('text=Версия для слабовидящих')]);
  const large = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(large >= normal * 1.4, `font ${normal} → ${large}`);
  await page.goto(`${BASE}/login`);
  assert.ok(await page.evaluate(() => document.body.classList.contains('low-vision')));
  await assertAccessible(page, '/login (low vision)');
});

test('sign in by keyboard only and use the registry', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/login`);
  await page.focus('#login');
  await page.keyboard.type('authority');
  await page.keyboard.press('Tab');
  await page.keyboard.type('demo-password');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /\/registry$/);
  assert.match(await page.textContent('h1'), /Реестр организаций/);
  await assertAccessible(page, '/registry');
  // the authority sees only its sphere
  const spheres = await page.$$eval('tbody tr td:nth-child(4)', (tds) => [...new Set(tds.map((t) => t.textContent.trim()))]);
  assert.deepEqual(spheres, ['Охрана здоровья']);
  await page.click('tbody tr a');
  await page.waitForLoadState();
  await assertAccessible(page, 'organisation card');
  await signIn(page, 'admin');
  await page.goto(`${BASE}/registry/new`);
  await assertAccessible(page, '/registry/new');
});
