// Improvement plans in a phone-sized browser: staff open their plan, report progress on an item by keyboard
// only and see it on the public organisation page, whose plan section has an accessible progress bar and
// names overdue items in words; the authority's table of plans. axe-core finds no violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, phonePage, assertAccessible, signIn } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('staff report progress and the public page shows the published plan', async () => {
  const page = await phonePage(browser);
  await signIn(page, 'staff');
  await page.goto(`${BASE}/cabinet/plans`);
  await assertAccessible(page, '/cabinet/plans for staff');
  await Promise.all([page.waitForNavigation(), page.click('main tbody a[href^="/cabinet/plan/"]')]);
  assert.match(await page.textContent('h1'), /План по устранению недостатков/);
  assert.match(await page.textContent('main'), /Просрочено/);
  await assertAccessible(page, 'the plan in the cabinet');
  const planUrl = page.url();
  const publicHref = await page.getAttribute('a[href^="/o/"]', 'href');

  // A progress report on a planned item, by keyboard only.
  const row = page.locator('tbody tr', { hasText: 'Запланировано' }).first();
  await row.locator('a[href$="/progress"]').focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await assertAccessible(page, 'progress report form');
  const marker = `Проверка ${Date.now()}: начаты работы`;
  await page.focus('#what_done');
  await page.keyboard.type(marker);
  await page.focus('main form button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(page.url().split('?')[0], planUrl.split('?')[0]);
  assert.match(await page.textContent('[role=status]'), /Сведения о ходе реализации сохранены/);
  assert.match(await page.textContent('main'), new RegExp(marker));

  const reader = await phonePage(browser);
  await reader.goto(`${BASE}${publicHref.split('#')[0]}`);
  const section = reader.locator('section[aria-labelledby=plan-title]');
  assert.match(await section.textContent(), /выполнено \d+ из \d+/);
  assert.match(await section.textContent(), new RegExp(marker));
  assert.match(await section.textContent(), /Просрочено/);
  assert.ok(await section.locator('progress').count(), 'a progress bar');
  assert.match(await section.locator('label[for=plan-progress-bar]').textContent(), /выполнено/);
  await assertAccessible(reader, 'organisation page with its plan');
});

test('the authority follows the plans of its organisations', async () => {
  const page = await phonePage(browser);
  await signIn(page, 'authority');
  await page.goto(`${BASE}/cabinet/plans?plan=overdue`);
  assert.match(await page.textContent('main'), /просрочено/);
  await assertAccessible(page, '/cabinet/plans for the authority');
  await Promise.all([page.waitForNavigation(), page.click('main tbody a[href^="/cabinet/plan/"]')]);
  assert.match(await page.textContent('main'), /Вы можете просматривать план/);
  await assertAccessible(page, 'a plan, read-only');
});
