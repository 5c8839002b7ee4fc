// The citizen's path behind a QR code, at phone size: the short link printed under the code opens the
// questionnaire with the poster's channel; the answers are sent and confirmed; the organisation page shows one
// more response. The same by keyboard only, in the low-vision mode, and without JavaScript (follow-up
// questions on a second step). axe-core finds no violations.
// Each test uses its own organisation and its own browser context (its own device cookie), so the
// one-response-per-device rule never flags a test's response.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, phonePage, assertAccessible, assertAccessibleAsServed } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The public id of the `n`-th organisation listed for a sphere of the demo region. */
async function organisation(page, sphere, n) {
  await page.goto(`${BASE}/?region=76&sphere=${sphere}`);
  const hrefs = await page.$$eval('main a[href^="/o/"]', (as) => as.map((a) => a.getAttribute('href')));
  const ids = [...new Set(hrefs.map((h) => h.split('/')[2]))];
  assert.ok(ids.length > n, `the search lists at least ${n + 1} organisations of ${sphere}`);
  return ids[n];
}

/** The response count the organisation page shows. */
async function responseCount(page, id) {
  await page.goto(`${BASE}/o/${id}`);
  return Number(await page.getAttribute('#responses-count', 'data-count'));
}

/** Opens the short link of the poster's QR code and checks where it leads. */
async function openQr(page, id) {
  await page.goto(`${BASE}/q/${id}`);
  assert.match(page.url(), new RegExp(`/o/${id}/anketa\\?ch=qr_poster$`));
  assert.equal(await page.inputValue('input[name=ch]'), 'qr_poster');
  assert.match(await page.textContent('h1'), /Анкета/);
}

async function assertThanks(page, label) {
  assert.match(page.url(), /\/anketa\/spasibo$/);
  assert.match(await page.textContent('h1'), /Спасибо/);
  await assertAccessible(page, label);
}

test('a QR code leads to the questionnaire; the answer is counted once on the organisation page', async () => {
  const page = await phonePage(browser);
  const id = await organisation(page, 'culture', 0);
  const before = await responseCount(page, id);
  await openQr(page, id);
  await assertAccessible(page, 'questionnaire');

  // Sending nothing shows the errors next to their fields and in a summary.
  await Promise.all([page.waitForNavigation(), page.click('form.anketa button[type=submit]')]);
  assert.ok(await page.isVisible('#error-summary'));
  assert.ok((await page.$$('fieldset.has-error')).length > 0);
  await assertAccessible(page, 'questionnaire with errors');

  // «Нет» to a filter question hides the question it guards; «Да» shows it again.
  const dependent = page.locator('fieldset[data-filter]').first();
  if ((await dependent.count()) > 0) {
    const filter = await dependent.getAttribute('data-filter');
    await page.check(`#${filter}-no`);
    assert.equal(await dependent.isVisible(), false);
    await page.check(`#${filter}-yes`);
    assert.equal(await dependent.isVisible(), true);
  }
  for (const fs of await page.$$('form.anketa fieldset.q[id^="q"]')) {
    if (await fs.isVisible()) {
      const id = await fs.getAttribute('id');
      await page.check(`#${id}-yes`);
    }
  }
  await page.fill('#suggestions', 'Добавить скамейки у входа');
  await page.fill('#age', '67');
  await Promise.all([page.waitForNavigation(), page.click('form.anketa button[type=submit]')]);
  await assertThanks(page, 'confirmation');

  // Reloading the confirmation (or going back) never sends the answers twice.
  await page.reload();
  assert.equal(await responseCount(page, id), before + 1);
  await assertAccessible(page, 'organisation page');
});

test('the questionnaire by keyboard only', async () => {
  const page = await phonePage(browser);
  const id = await organisation(page, 'education', 1);
  const before = await responseCount(page, id);
  await openQr(page, id);
  let sent = false;
  for (let i = 0; i < 300 && !sent; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const e = document.activeElement;
      const group = e.type === 'radio' ? document.querySelectorAll(`input[name="${e.name}"]:checked`).length : 0;
      return { type: e.type, name: e.name, inForm: !!e.closest('form.anketa'), answered: group > 0, submit: e.matches('button.submit') };
    });
    if (focus.inForm && focus.type === 'radio' && focus.name !== 'sex' && !focus.answered) {
      await page.keyboard.press('Space'); // the first radio of a group is «Да»
    } else if (focus.submit) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      sent = true;
    }
  }
  assert.ok(sent, 'the submit button is reachable by Tab');
  await assertThanks(page, 'confirmation after keyboard use');
  assert.equal(await responseCount(page, id), before + 1);
});

test('the questionnaire in the low-vision mode', async () => {
  const page = await phonePage(browser);
  const id = await organisation(page, 'social', 2);
  await page.goto(`${BASE}/`);
  await Promise.all([page.waitForNavigation(), page.click('text=Версия для слабовидящих')]);
  const before = await responseCount(page, id);
  await openQr(page, id);
  assert.ok(await page.evaluate(() => document.body.classList.contains('low-vision')));
  await assertAccessible(page, 'questionnaire (low vision)');
  for (const fs of await page.$$('form.anketa fieldset.q[id^="q"]')) {
    if (await fs.isVisible()) await page.check(`#${await fs.getAttribute('id')}-no`);
  }
  await Promise.all([page.waitForNavigation(), page.click('form.anketa button[type=submit]')]);
  await assertThanks(page, 'confirmation (low vision)');
  assert.equal(await responseCount(page, id), before + 1);
  await assertAccessible(page, 'organisation page (low vision)');
});

test('without JavaScript, follow-up questions come on a second step', async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    bypassCSP: true,
    locale: 'ru-RU',
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  const id = await organisation(page, 'culture', 3);
  const before = await responseCount(page, id);
  await openQr(page, id);
  const dependent = page.locator('fieldset[data-filter]');
  const follow = await dependent.count();
  assert.ok(follow > 0, 'the questionnaire has follow-up questions');
  for (let i = 0; i < follow; i++) assert.equal(await dependent.nth(i).isVisible(), false, 'hidden on the first step');

  // Step 1: «Да» to every visible question (the filters too).
  for (const fs of await page.$$('form.anketa fieldset.q[id^="q"]')) {
    if (await fs.isVisible()) await page.check(`#${await fs.getAttribute('id')}-yes`);
  }
  await page.fill('#age', '52');
  await Promise.all([page.waitForNavigation(), page.click('form.anketa button[type=submit]')]);

  // Step 2: only the follow-ups, under a lead; earlier answers carried along.
  assert.match(page.url(), new RegExp(`/o/${id}/anketa$`));
  assert.match(await page.textContent('#step-lead h2'), /Ещё несколько вопросов/);
  assert.equal(await page.isVisible('#error-summary'), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-lead', 'the lead takes the focus');
  const shown = await page.$$eval('form.anketa fieldset.q', (fs) => fs.filter((f) => !f.hidden).map((f) => f.id));
  assert.equal(shown.length, follow, 'only the follow-ups are asked');
  assert.equal(await page.inputValue('input[type=hidden][name=age]'), '52');
  await assertAccessibleAsServed(browser, page, 'questionnaire, second step (no JavaScript)');
  for (const q of shown) await page.check(`#${q}-no`);
  await Promise.all([page.waitForNavigation(), page.click('form.anketa button[type=submit]')]);
  assert.match(page.url(), /\/anketa\/spasibo$/);
  assert.match(await page.textContent('h1'), /Спасибо/);
  assert.equal(await responseCount(page, id), before + 1);
  await context.close();
});
