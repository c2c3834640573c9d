// Bulk work on the Sources list: filter by kind, tick the page, then every
// match on all pages, tag them at once and find them by the tag; a date the
// filter cannot read is named; two ticked sources go to the Trash together.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By, byTestId, Key, repoRoot, saveScreenshot, startDisplay, typeInto, withApp } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-bulk-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function chipwatch(workspace, ...args) {
  return execFileSync(cli, ['--workspace', workspace, ...args], { encoding: 'utf8' });
}

/** The number in the list's "1,234 sources". */
async function shownTotal(driver) {
  const text = await (await byTestId(driver, 'source-total')).getText();
  return Number(text.replace(/[^0-9]/g, ''));
}

/** Empties a field as a person does (select all, delete), so that its input events fire. */
async function emptyField(element) {
  await element.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
}

async function waitForTotal(driver, expected, what) {
  await driver.wait(async () => (await shownTotal(driver).catch(() => -1)) === expected, 10_000, `${what}: ${expected} sources`);
}

test('a filtered selection across pages is tagged at once and found by its tag; two go to the Trash together', async (t) => {
  const workspace = join(scratch, 'bulk.db');
  chipwatch(workspace, 'init');
  chipwatch(workspace, 'generate-sample', '--sources', '600', '--notes', '0', '--append');
  const sources = JSON.parse(chipwatch(workspace, 'list', 'sources', '--json'));
  const articles = sources.filter((s) => s.kind === 'article');
  const other = sources.find((s) => s.kind !== 'article');
  assert.ok(articles.length > 100, `more articles than a page holds: ${articles.length}`);
  // WebKitWebDriver cannot type emoji (outside the BMP); the core's tests tag with them.
  const tag = '待读, "to-read"';

  await withApp(t, display.display, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-sources')).click();
    await waitForTotal(driver, sources.length, 'every source at first');

    // Kind: Article.
    await (await byTestId(driver, 'filter-kind')).findElement(By.css('option[value="article"]')).click();
    await waitForTotal(driver, articles.length, 'the articles');

    // The page, then every match on all pages.
    await (await byTestId(driver, 'tick-page')).click();
    const count = await byTestId(driver, 'bulk-count');
    await driver.wait(async () => (await count.getText()) === '100 sources ticked', 5_000, 'the page ticked');
    await (await byTestId(driver, 'tick-all-matching')).click();
    await driver.wait(async () => (await count.getText()) === `${articles.length} sources ticked`, 5_000, 'every article ticked');
    // Unticking one row leaves it out.
    const firstRow = (await driver.findElements(By.css('[data-testid="tick-row"]')))[0];
    await firstRow.click();
    await driver.wait(async () => (await count.getText()) === `${articles.length - 1} sources ticked`, 5_000, 'one unticked');
    await firstRow.click();
    await driver.wait(async () => (await count.getText()) === `${articles.length} sources ticked`, 5_000, 'ticked again');
    await saveScreenshot(driver, 'sources-bulk-ticked');

    await (await byTestId(driver, 'bulk-tag')).click();
    const input = await byTestId(driver, 'bulk-tag-dialog-input');
    await input.sendKeys(tag, Key.ENTER);
    const done = await byTestId(driver, 'bulk-done');
    assert.equal(await done.getText(), `${articles.length} sources tagged “${tag}”.`);
    assert.equal((await driver.findElements(By.css('[data-testid="bulk-bar"]'))).length, 0, 'nothing ticked after');

    // Found by the tag (the search index knows it), with the kind filter cleared.
    await (await byTestId(driver, 'filter-clear')).click();
    await waitForTotal(driver, sources.length, 'every source again');
    await typeInto(await byTestId(driver, 'source-filter'), '待读');
    await waitForTotal(driver, articles.length, 'the tagged sources');
    await saveScreenshot(driver, 'sources-bulk-tagged');

    // A date the filter cannot read is named, and the list stays.
    await emptyField(await byTestId(driver, 'source-filter'));
    await waitForTotal(driver, sources.length, 'the words cleared');
    const from = await byTestId(driver, 'filter-published-from');
    await from.sendKeys('32 Oct 2023', Key.ENTER);
    await driver.wait(
      async () => /^Published from: "32 Oct 2023" is not a date/.test(await byTestId(driver, 'filter-error').then((e) => e.getText())),
      10_000,
      'the date named',
    );
    assert.ok((await driver.findElements(By.css('[data-testid="source-row"]'))).length > 0, 'the rows stay');
    await emptyField(from);
    await from.sendKeys(Key.ENTER);
    await waitForTotal(driver, sources.length, 'the date cleared');

    // Two ticked rows to the Trash, after their impact: one by the keyboard (Space), one by a click.
    const table = await byTestId(driver, 'sources-table');
    await driver.executeScript('arguments[0].focus()', table);
    await driver.actions().sendKeys(Key.HOME, ' ').perform();
    await driver.wait(async () => (await byTestId(driver, 'bulk-count').then((e) => e.getText())) === '1 source ticked', 5_000, 'Space ticks');
    const ticks = await driver.findElements(By.css('[data-testid="tick-row"]'));
    assert.equal(await ticks[0].isSelected(), true, 'the first row ticked by Space');
    await ticks[1].click();
    await (await byTestId(driver, 'bulk-trash')).click();
    const dialog = await byTestId(driver, 'bulk-trash-dialog');
    await driver.wait(async () => /Move 2 sources to the Trash\?/.test(await dialog.getText()), 5_000, 'the question');
    await (await byTestId(driver, 'bulk-trash-dialog-confirm')).click();
    await driver.wait(async () => (await byTestId(driver, 'bulk-done').then((e) => e.getText())) === '2 sources moved to the Trash.', 5_000, 'moved');
    await waitForTotal(driver, sources.length - 2, 'two fewer');
  });

  // What the app did is in the workspace: tagged articles, an untagged other kind.
  const trash = JSON.parse(chipwatch(workspace, 'trash', 'list', '--json')).filter((entry) => entry.kind === 'source');
  assert.equal(trash.length, 2);
  const trashed = new Set(trash.map((entry) => entry.entityId));
  const article = articles.find((s) => !trashed.has(s.id));
  const tagged = JSON.parse(chipwatch(workspace, 'source', 'show', String(article.id), '--json'));
  assert.ok(tagged.draft.tags.includes(tag), `tagged: ${tagged.draft.tags}`);
  const untouched = JSON.parse(chipwatch(workspace, 'source', 'show', String(other.id), '--json'));
  assert.equal(untouched.draft.tags.includes(tag), false);
});

test('a Trash of hundreds of sources comes a page at a time, and Empty Trash counts them all', async (t) => {
  const workspace = join(scratch, 'full trash.db');
  chipwatch(workspace, 'init');
  chipwatch(workspace, 'generate-sample', '--sources', '300', '--notes', '0', '--append');
  const moved = Number(/Moved (\d+) sources/.exec(chipwatch(workspace, 'source', 'trash', '--kind', 'article'))[1]);
  assert.ok(moved > 100, `more than a page: ${moved}`);

  await withApp(t, display.display, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-trash')).click();
    const entries = async () => (await driver.findElements(By.css('[data-testid="trash-entry"]'))).length;
    await driver.wait(async () => (await entries()) === 100, 10_000, 'one page of entries');
    const pager = await driver.findElement(By.css('nav.pager'));
    assert.match(await pager.getText(), new RegExp(`1–100 of ${moved}`));
    await (await byTestId(driver, 'next-page')).click();
    const second = `101–${Math.min(200, moved)} of ${moved}`;
    await driver.wait(async () => (await driver.findElement(By.css('nav.pager')).getText()).includes(second), 10_000, 'the second page');
    assert.equal(await entries(), Math.min(100, moved - 100));
    await (await byTestId(driver, 'empty-trash')).click();
    const impact = await byTestId(driver, 'empty-trash-impact');
    assert.match(await impact.getText(), new RegExp(`^${moved} sources, with everything`));
    await saveScreenshot(driver, 'trash-paged-empty');
    await (await byTestId(driver, 'empty-trash-dialog-confirm')).click();
    await byTestId(driver, 'empty-state');
  });
});
