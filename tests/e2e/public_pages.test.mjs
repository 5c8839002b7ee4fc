// axe-core on the public pages the other browser tests do not reach: the region page, the list of all reviews
// of an organisation, the API documentation, the explanation of a score, the home page's search results with
// filters, and the 404 page. Each at phone size, in the normal and in the low-vision mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, phonePage, assertAccessible } from './harness.mjs';

let browser;
/** An organisation of region 76 (health) with published reviews, one of them answered. */
let org;

before(async () => {
  browser = await launch();
  org = await organisationWithAnsweredReviews();
});
after(async () => {
  await browser?.close();
});

/** The public id of the first organisation in the search for region 76, health, whose reviews page shows an answer. */
async function organisationWithAnsweredReviews() {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/?region=76&sphere=health`);
  const hrefs = await page.$$eval('main ul.cards a[href^="/o/"]:not([href*="/explain"])', (as) =>
    as.map((a) => a.getAttribute('href')),
  );
  assert.ok(hrefs.length > 0, 'the search lists organisations');
  for (const href of hrefs) {
    const id = href.slice('/o/'.length);
    await page.goto(`${BASE}/reviews/${id}`);
    if ((await page.locator('article.fb-review .fb-answer').count()) > 0) {
      await page.context().close();
      return id;
    }
  }
  assert.fail('the demo has an organisation of region 76 (health) with an answered review');
}

/** A phone-sized page, switched into the low-vision mode through its own link when asked. */
async function pageIn(lowVision) {
  const page = await phonePage(browser);
  if (lowVision) {
    await page.goto(`${BASE}/low-vision?on=1&back=/`);
    assert.ok(await page.evaluate(() => document.body.classList.contains('low-vision')), 'low-vision mode is on');
  }
  return page;
}

const MODES = [
  ['normal', false],
  ['low vision', true],
];

/** Opens `path` in both modes, checks it with `check`, and runs axe-core on it. */
function inBothModes(name, path, check, expectedStatus = 200) {
  for (const [mode, lowVision] of MODES) {
    test(`${name} (${mode})`, async () => {
      const page = await pageIn(lowVision);
      const response = await page.goto(`${BASE}${typeof path === 'function' ? path() : path}`);
      assert.equal(response.status(), expectedStatus);
      if (lowVision) {
        assert.ok(await page.evaluate(() => document.body.classList.contains('low-vision')), 'the mode is kept');
      }
      await check(page);
      await assertAccessible(page, `${name} (${mode})`);
      await page.context().close();
    });
  }
}

inBothModes('region page /r/76', '/r/76', async (page) => {
  assert.match(await page.textContent('h1'), /Ярославская область/);
  assert.ok((await page.locator('main table tbody tr').count()) > 0, 'the ranking has rows');
});

inBothModes('region page filtered by sphere', '/r/76?sphere=health', async (page) => {
  assert.match(await page.textContent('h1'), /Ярославская область/);
});

inBothModes('all reviews of an organisation', () => `/reviews/${org}`, async (page) => {
  assert.match(await page.textContent('h1'), /^Отзывы: /);
  assert.ok((await page.locator('article.fb-review').count()) > 0, 'published reviews are listed');
  assert.ok((await page.locator('article.fb-review .fb-answer').count()) > 0, "with the organisation's answer");
});

inBothModes('API documentation', '/api/docs', async (page) => {
  assert.match(await page.textContent('main'), /\/api\/v1\/responses/);
});

inBothModes('explanation of a score', () => `/o/${org}/explain`, async (page) => {
  assert.match(await page.textContent('h1'), /^Как рассчитана оценка: /);
  assert.equal(await page.locator('table.explain-table').count(), 5, 'a table per criterion');
});

const search = (q, region, sphere) => `/?${new URLSearchParams({ q, region, sphere })}`;

inBothModes('home page search results with filters', search('больница', '76', 'health'), async (page) => {
  assert.equal(await page.inputValue('#q'), 'больница');
  assert.equal(await page.inputValue('#region'), '76');
  assert.equal(await page.inputValue('#sphere'), 'health');
  assert.match(await page.textContent('main h2'), /^Найдено: [1-9]\d*$/);
  assert.ok((await page.locator('main ul.cards li').count()) > 0, 'organisations are listed');
});

inBothModes('home page search with no results', search('неттакой', '76', 'culture'), async (page) => {
  assert.equal(await page.textContent('main h2'), 'Найдено: 0');
  assert.equal(await page.locator('main p.empty').count(), 1, 'the empty state');
});

inBothModes('404 page', '/no-such-page', async (page) => {
  assert.match(await page.textContent('h1'), /не найдена/i);
}, 404);

inBothModes('404 page of an unknown organisation', '/o/nosuchorg2', async (page) => {
  assert.match(await page.textContent('h1'), /не найдена/i);
}, 404);
