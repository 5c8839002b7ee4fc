// Citizen feedback in a phone-sized browser: the review form (rules, errors tied to fields), moderation in the
// cabinet, the review on the organisation page and a complaint (the review stays public and in the queue until
// the moderator keeps it); an appeal with its private status page and the cabinet list with deadlines; a vote by
// keyboard only; the admin's outbox. axe-core finds no violations.
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

/** The page of an organisation the demo authority («76-health») moderates. */
async function healthOrganisation(page) {
  await page.goto(`${BASE}/?region=76&sphere=health`);
  const href = await page.getAttribute('main a[href^="/o/"]', 'href');
  assert.ok(href, 'the search lists an organisation');
  return href;
}

test('a review is held, moderated, published, and can be reported', async () => {
  const page = await phonePage(browser);
  const org = await healthOrganisation(page);
  await page.goto(`${BASE}${org}`);
  await assertAccessible(page, 'organisation page with the feedback sections');
  await Promise.all([page.waitForNavigation(), page.click('a[href^="/reviews/"][href$="/new"]')]);
  assert.match(await page.textContent('h1'), /Отзыв об организации/);
  await assertAccessible(page, 'review form');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.equal(await page.getAttribute('#body', 'aria-invalid'), 'true');
  await assertAccessible(page, 'review form with errors');
  const marker = `Проверка ${Date.now()}: в регистратуре помогли быстро, подробнее на www.example.ru`;
  await page.fill('#body', marker);
  await page.check('#accepts_rules');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('main'), /на проверке у модератора/);
  assert.match(await page.inputValue('#fb-private-link'), /\/reviews\/status\/[0-9a-f]{64}$/);
  await assertAccessible(page, 'review status page');

  await signIn(page, 'authority');
  await page.goto(`${BASE}/cabinet/reviews?status=pending&flagged=1`);
  await assertAccessible(page, '/cabinet/reviews');
  const row = page.locator('tbody tr', { hasText: marker.slice(0, 40) });
  assert.match(await row.textContent(), /ссылка/);
  await Promise.all([page.waitForNavigation(), row.locator('a').first().click()]);
  await assertAccessible(page, 'review moderation page');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/approve"] button')]);
  assert.match(await page.textContent('[role=status]'), /Отзыв опубликован/);

  const reader = await phonePage(browser);
  await reader.goto(`${BASE}${org}`);
  assert.match(await reader.textContent('main'), /в регистратуре помогли быстро/);
  const article = reader.locator('article.fb-review', { hasText: marker.slice(0, 40) });
  await Promise.all([reader.waitForNavigation(), article.locator('a[href^="/reviews/report/"]').click()]);
  await assertAccessible(reader, 'complaint form');
  await reader.check('input[name=reason][value=links]');
  await Promise.all([reader.waitForNavigation(), reader.click('main form button[type=submit]')]);
  assert.match(await reader.textContent('main'), /отзыв остаётся на странице организации/);
  await assertAccessible(reader, 'complaint sent');
  // One complaint does not hide a review: it stays public and waits for the moderator in the queue.
  await reader.goto(`${BASE}${org}`);
  assert.equal(await reader.locator('article.fb-review', { hasText: marker.slice(0, 40) }).count(), 1);
  await page.goto(`${BASE}/cabinet/reviews`);
  const queued = page.locator('tbody tr', { hasText: marker.slice(0, 40) });
  assert.match(await queued.textContent(), /опубликован, есть жалобы/);
  assert.match(await queued.textContent(), /ссылки на сайты/);
  await assertAccessible(page, 'moderation queue with a complaint');
  await Promise.all([page.waitForNavigation(), queued.locator('a').first().click()]);
  await assertAccessible(page, 'review with complaints');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/dismiss"] button')]);
  assert.match(await page.textContent('[role=status]'), /остаётся опубликованным/);
});

test('an appeal gets a private page with its deadline and appears in the cabinet', async () => {
  const page = await phonePage(browser);
  const org = await healthOrganisation(page);
  await page.goto(`${BASE}${org}`);
  await Promise.all([page.waitForNavigation(), page.click('a[href^="/appeals/"][href$="/new"]')]);
  await assertAccessible(page, 'appeal form');
  await page.fill('#body', 'Прошу сообщить, когда откроется запись к окулисту.');
  await page.fill('#email', 'e2e@example.ru');
  await page.check('#consent');
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  const text = await page.textContent('main');
  assert.match(text, /новое/);
  assert.match(text, /Срок ответа\s*\d\d\.\d\d\.\d{4}/);
  assert.match(text, /когда откроется запись к окулисту/, 'the stored (encrypted) text is shown decrypted');
  await assertAccessible(page, 'appeal status page');
  // The same page in the low-vision mode, switched on by keyboard through its own link.
  await page.focus('a[href^="/low-vision?on=1"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.ok(await page.evaluate(() => document.body.classList.contains('low-vision')));
  assert.match(await page.textContent('main'), /когда откроется запись к окулисту/);
  await assertAccessible(page, 'appeal status page, low vision');
  await page.goto(`${BASE}/low-vision?on=0&back=/`);

  await signIn(page, 'authority');
  await page.goto(`${BASE}/cabinet/appeals`);
  await assertAccessible(page, '/cabinet/appeals');
  assert.doesNotMatch(await page.textContent('main'), /e2e@example\.ru/);
  await Promise.all([page.waitForNavigation(), page.click('tbody tr a')]);
  await assertAccessible(page, 'appeal page in the cabinet');
  const sealed = /v1\.[0-9a-f]{16}/;
  assert.doesNotMatch(await page.textContent('main'), sealed, 'texts are shown decrypted');
  assert.match(await page.locator('dd.fb-text').first().textContent(), /[а-яА-Я]{3}/);

  await signIn(page, 'admin');
  await page.goto(`${BASE}/admin/outbox`);
  await assertAccessible(page, '/admin/outbox');
  await Promise.all([page.waitForNavigation(), page.click('tbody tr a')]);
  assert.doesNotMatch(await page.textContent('main'), sealed, 'the mail body is shown decrypted');
  assert.match(await page.textContent('main'), /[а-яА-Я]{3}/);
  await assertAccessible(page, 'a message in the in-app mailbox');
});

test('agreement with the rating by keyboard only, one vote per device', async () => {
  const page = await phonePage(browser);
  const org = await healthOrganisation(page);
  await page.goto(`${BASE}${org}`);
  await page.focus('#fb-vote-comment');
  await page.keyboard.type('Оценка соответствует моему опыту');
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('main'), /учтён/);
  await assertAccessible(page, 'vote counted');
  await page.goto(`${BASE}${org}`);
  await Promise.all([page.waitForNavigation(), page.click('form.fb-vote button[value="0"]')]);
  assert.match(await page.textContent('main'), /уже высказывались/);
});
