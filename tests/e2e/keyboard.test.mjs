// The keyboard: arrows move a selection through the Firms list, across the
// Compare matrix and on past a page of Sources; Enter opens what is selected.
// Firms and Sources sort by a column header (with the mouse and with Enter),
// and the Sources columns keep their widths when the order changes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addComparedFirm, By, byTestId, Key, repoRoot, saveScreenshot, startDisplay, typeInto, until, withApp } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-keyboard-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Presses keys on whatever has focus, as a person at the keyboard does. */
async function press(driver, ...keys) {
  for (const key of keys) await driver.actions().sendKeys(key).perform();
}

/**
 * Reads until what is read passes `ok` (rows re-render while a new order arrives),
 * and fails naming what was last read.
 */
async function untilRead(driver, read, ok, what) {
  let last;
  try {
    await driver.wait(async () => ok((last = await read())), 10_000);
  } catch {
    assert.fail(`${what}; shown: ${JSON.stringify(last)}`);
  }
  return last;
}

async function firmNames(driver) {
  // Read in one script: rows re-rendered between two WebDriver calls would be stale.
  return driver.executeScript(() => [...document.querySelectorAll('[data-testid="firm-row"]')].map((row) => row.dataset.firmName));
}

/** The name of the firm row shown as selected, or null. */
async function selectedFirm(driver) {
  const selected = await driver.findElements(By.css('[data-testid="firm-row"][aria-selected="true"]'));
  return selected.length === 1 ? selected[0].getAttribute('data-firm-name') : null;
}

test('arrows move through the Firms list, text fields keep them, and Enter opens the selected firm', async (t) => {
  await withApp(t, display.display, join(scratch, 'firms.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    const names = await firmNames(driver);
    assert.ok(names.length > 5, `seeded firms: ${names}`);
    assert.equal(await selectedFirm(driver), null, 'nothing selected before a key');

    // Focus is on the heading when the view opens: the arrows go to the list, not the page.
    await press(driver, Key.ARROW_DOWN, Key.ARROW_DOWN, Key.ARROW_DOWN);
    assert.equal(await selectedFirm(driver), names[2]);
    const table = await byTestId(driver, 'firms-table');
    assert.equal(await driver.switchTo().activeElement().getAttribute('data-testid'), 'firms-table', 'the list has focus');
    const selectedRow = await driver.findElement(By.css('[data-testid="firm-row"][aria-selected="true"]'));
    assert.equal(await table.getAttribute('aria-activedescendant'), await selectedRow.getAttribute('id'));
    await press(driver, Key.ARROW_UP);
    assert.equal(await selectedFirm(driver), names[1]);
    await press(driver, Key.END);
    assert.equal(await selectedFirm(driver), names.at(-1));
    await press(driver, Key.ARROW_DOWN);
    assert.equal(await selectedFirm(driver), names.at(-1), 'stays on the last row');
    await press(driver, Key.HOME, Key.ARROW_DOWN, Key.ARROW_DOWN, Key.ARROW_DOWN);
    const chosen = names[3];
    assert.equal(await selectedFirm(driver), chosen);
    await driver.sleep(200);
    await saveScreenshot(driver, 'keyboard-firms');

    // In the filter, Down belongs to the text field: the selection stays.
    const filter = await byTestId(driver, 'firm-filter');
    await filter.click();
    await press(driver, Key.ARROW_DOWN, Key.END);
    assert.equal(await selectedFirm(driver), chosen, 'arrows typed into the filter do not move the list');

    // Back to the list, and Enter opens the selected firm.
    await driver.executeScript('arguments[0].focus()', table);
    await press(driver, Key.HOME, Key.ARROW_DOWN, Key.ARROW_DOWN, Key.ARROW_DOWN);
    assert.equal(await selectedFirm(driver), chosen);
    await press(driver, Key.ENTER);
    await byTestId(driver, 'firm-profile');
    await driver.wait(until.elementTextContains(await byTestId(driver, 'firm-name'), chosen), 10_000, `${chosen}'s profile opens`);
  });
});

test('Firms sort by a column header, both ways, by mouse and by Enter', async (t) => {
  await withApp(t, display.display, join(scratch, 'sort.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    const byName = await firmNames(driver);
    const sortedByName = [...byName].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    assert.deepEqual(byName, sortedByName, 'by name, A to Z, at first');

    const chipCounts = () =>
      driver.executeScript(() =>
        [...document.querySelectorAll('[data-testid="firm-row"] td:nth-child(5)')].map((cell) => Number(cell.textContent.replace(/\D/g, ''))),
      );
    await (await byTestId(driver, 'firm-sort-chips')).click();
    await driver.wait(async () => (await firmNames(driver)).join() !== byName.join(), 10_000, 'the order changes');
    const mostChips = await chipCounts();
    assert.ok(mostChips[0] > 0, `the first firm has chips: ${mostChips}`);
    assert.deepEqual(mostChips, [...mostChips].sort((a, b) => b - a), 'most chips first');
    const header = await driver.findElement(By.xpath('//th[.//*[@data-testid="firm-sort-chips"]]'));
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    assert.match(await (await byTestId(driver, 'firm-sort-chips')).getText(), /↓/, 'the header shows the direction');
    await driver.sleep(200);
    await saveScreenshot(driver, 'firms-sorted-by-chips');

    // Enter on the focused header turns the order round.
    await driver.executeScript('arguments[0].focus()', await byTestId(driver, 'firm-sort-chips'));
    await press(driver, Key.ENTER);
    await driver.wait(async () => (await header.getAttribute('aria-sort')) === 'ascending', 10_000);
    await untilRead(driver, chipCounts, (counts) => counts[0] < mostChips[0] && counts.every((n, i) => i === 0 || counts[i - 1] <= n), 'fewest chips first');

    // By name again, Z to A.
    await (await byTestId(driver, 'firm-sort-name')).click();
    await driver.wait(async () => (await firmNames(driver)).join() === byName.join(), 10_000, 'by name A to Z');
    await (await byTestId(driver, 'firm-sort-name')).click();
    await driver.wait(async () => (await firmNames(driver)).join() === [...byName].reverse().join(), 10_000, 'by name Z to A');
  });
});

/** The selected cell of the Compare matrix: its firm and dimension, or null. */
async function selectedCell(driver) {
  const cells = await driver.findElements(By.css('[data-testid="compare-grid"] td[aria-selected="true"]'));
  if (cells.length !== 1) return null;
  return { firm: await cells[0].getAttribute('data-firm'), dimension: await cells[0].getAttribute('data-dimension'), id: await cells[0].getAttribute('id') };
}

test('arrows move across the Compare matrix and Enter opens the selected cell\'s evidence', async (t) => {
  await withApp(t, display.display, join(scratch, 'compare.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-compare')).click();
    await addComparedFirm(driver, '华为', 'Huawei');
    await addComparedFirm(driver, 'Alibaba', 'Alibaba');
    await addComparedFirm(driver, 'baidu', 'Baidu');
    const grid = await byTestId(driver, 'compare-grid');
    await driver.wait(async () => (await grid.findElements(By.css('[data-testid="compare-firm-header"]'))).length === 3, 10_000, 'three firm columns');

    // Out of the firm picker's text field; the arrows then belong to the matrix.
    await driver.executeScript('document.activeElement.blur()');
    await press(driver, Key.ARROW_DOWN);
    const first = await selectedCell(driver);
    assert.equal(first?.firm, 'Huawei', 'the first key selects the first cell');
    await press(driver, Key.ARROW_RIGHT);
    assert.equal((await selectedCell(driver))?.firm, 'Alibaba');
    await press(driver, Key.ARROW_RIGHT, Key.ARROW_RIGHT);
    assert.equal((await selectedCell(driver))?.firm, 'Baidu', 'stays in the last column');
    await press(driver, Key.ARROW_LEFT);
    assert.equal((await selectedCell(driver))?.firm, 'Alibaba');
    await press(driver, Key.ARROW_DOWN);
    const below = await selectedCell(driver);
    assert.equal(below?.firm, 'Alibaba');
    assert.notEqual(below?.dimension, first?.dimension, 'down is the next row');

    // Walk to Alibaba's first cell with evidence (a button in it), as a person would.
    const traceable = await grid.findElement(By.xpath('.//td[@data-firm="Alibaba"][.//button[@data-testid="compare-cell"]]'));
    const [, row, column] = /^compare-cell-(\d+)-(\d+)$/.exec(await traceable.getAttribute('id')).map(Number);
    await press(driver, Key.HOME);
    for (let i = 0; i < 40; i++) await press(driver, Key.ARROW_UP);
    for (let i = 0; i < row; i++) await press(driver, Key.ARROW_DOWN);
    for (let i = 0; i < column; i++) await press(driver, Key.ARROW_RIGHT);
    const target = await selectedCell(driver);
    assert.equal(target?.id, `compare-cell-${row}-${column}`);
    await driver.sleep(200);
    await saveScreenshot(driver, 'keyboard-compare');

    await press(driver, Key.ENTER);
    const panel = await byTestId(driver, 'evidence-panel');
    await driver.wait(until.elementIsVisible(panel), 10_000, 'Enter opens the evidence');
    const label = await driver.executeScript(
      (id) => document.getElementById(id)?.closest('tr')?.querySelector('th .dimension')?.textContent ?? '',
      target.id,
    );
    await driver.wait(until.elementTextContains(panel, `${target.firm} · ${label}`), 10_000, 'the panel is the selected cell\'s');
    await driver.wait(async () => (await panel.findElements(By.css('[data-testid="evidence-source"]'))).length > 0, 10_000, 'sources listed');
    await driver.sleep(300);
    await saveScreenshot(driver, 'keyboard-compare-evidence');
  });
});

test('Sources sort by grade and by kind without moving the columns, and the arrows go on past a page', async (t) => {
  const workspace = join(scratch, 'sources.db');
  execFileSync(cli, ['--workspace', workspace, 'generate-sample', '--sources', '230', '--notes', '3']);
  execFileSync(cli, [
    '--workspace', workspace, 'source', 'add', '--kind', 'report', '--reliability', 'A', '--credibility', '1',
    '--title', '华为昇腾 910B 的产能、良率与出口管制：一份很长的标题, with "quotes", commas and an emoji 🚀 that never ends',
    '--authors', 'Allen, Gregory C.; 李明; 王芳', '--publisher', '中国电子信息产业发展研究院 (CCID Consulting)',
  ]);
  await withApp(t, display.display, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-sources')).click();
    await byTestId(driver, 'source-row');
    const widths = () =>
      driver.executeScript(() => [...document.querySelectorAll('[data-testid="sources-table"] thead th')].map((th) => Math.round(th.getBoundingClientRect().width)));
    const before = await widths();

    // Read in one go in the page: rows re-rendered between two WebDriver calls would be stale.
    const column = (n) =>
      driver.executeScript((nth) => [...document.querySelectorAll(`[data-testid="source-row"] td:nth-child(${nth})`)].map((td) => td.textContent.trim()), n);
    const grades = () => column(6); // after the tick box, title, publisher, published, kind
    // "A" (credibility unknown) comes after A6; ungraded rows after graded ones.
    const key = (g) => (g === '' ? 'Z' : g.length === 1 ? `${g}7` : g);
    const inGradeOrder = (shown) => shown.every((g, i) => i === 0 || key(shown[i - 1]).localeCompare(key(g)) <= 0);
    await (await byTestId(driver, 'sort-grade')).click();
    // The first row alone proves nothing: the newest source (shown first before the click) is A1 too.
    const byGrade = await untilRead(driver, grades, (shown) => shown[0] === 'A1' && inGradeOrder(shown), 'the rows in grade order, best first');
    assert.ok(byGrade.some((g) => /^[A-F]$/.test(g)), `the rule for an unknown credibility is tried: ${byGrade}`);
    assert.deepEqual(await widths(), before, 'the columns keep their widths');
    await driver.sleep(200);
    await saveScreenshot(driver, 'sources-by-grade');

    const kinds = () => column(5);
    await (await byTestId(driver, 'sort-kind')).click();
    await untilRead(driver, kinds, (shown) => shown[0] === 'Article' && shown.every((k, i) => i === 0 || shown[i - 1] <= k), 'the rows in kind order, articles first');
    assert.deepEqual(await widths(), before, 'the columns keep their widths');

    // Down on the last row of a page turns to the next one; Up on its first row turns back.
    const selectedTitle = () =>
      driver.executeScript(() => {
        const rows = document.querySelectorAll('[data-testid="source-row"][aria-selected="true"] .source-title');
        return rows.length === 1 ? rows[0].textContent : null;
      });
    const titles = () =>
      driver.executeScript(() => [...document.querySelectorAll('[data-testid="source-row"] .source-title')].map((e) => e.textContent));
    const firstPage = await titles();
    assert.equal(firstPage.length, 100);
    await driver.executeScript('document.activeElement.blur()');
    await press(driver, Key.ARROW_DOWN, Key.END);
    assert.equal(await selectedTitle(), firstPage[99]);
    await press(driver, Key.ARROW_DOWN);
    await driver.wait(async () => (await titles())[0] !== firstPage[0], 10_000, 'the next page');
    const secondPage = await titles();
    await driver.wait(async () => (await selectedTitle()) === secondPage[0], 10_000, 'its first row selected');
    await driver.wait(until.elementTextContains(await driver.findElement(By.css('.pager')), '101–200'), 10_000);
    await driver.sleep(300);
    await saveScreenshot(driver, 'sources-next-page-by-keys');
    await press(driver, Key.ARROW_UP);
    await driver.wait(async () => (await titles())[0] === firstPage[0], 10_000, 'back to the first page');
    await driver.wait(async () => (await selectedTitle()) === firstPage[99], 10_000, 'its last row selected');
  });
});

test('arrows and Enter open a note from the Notes list and a chip from the Chips table; "?" lists the keys', async (t) => {
  await withApp(t, display.display, join(scratch, 'notes-chips.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-notes')).click();
    await byTestId(driver, 'note-card');
    const noteTitles = await driver.executeScript(() => [...document.querySelectorAll('[data-testid="note-card"] [data-testid="note-link"]')].map((b) => b.textContent.trim()));
    assert.ok(noteTitles.length >= 2, `seeded notes: ${noteTitles}`);
    await press(driver, Key.ARROW_DOWN, Key.ARROW_DOWN);
    const selectedNote = await driver.findElement(By.css('[data-testid="note-card"][aria-selected="true"] [data-testid="note-link"]'));
    assert.equal((await selectedNote.getText()).trim(), noteTitles[1]);
    await driver.sleep(200);
    await saveScreenshot(driver, 'keyboard-notes');
    await press(driver, Key.ENTER);
    await driver.wait(until.elementTextIs(await byTestId(driver, 'note-title'), noteTitles[1]), 10_000, 'the selected note opens');

    await (await byTestId(driver, 'nav-chips')).click();
    await byTestId(driver, 'chip-row');
    const chipNames = await driver.executeScript(() => [...document.querySelectorAll('[data-testid="chip-row"] [data-testid="chip-name"]')].map((e) => e.textContent.trim()));
    await press(driver, Key.END, Key.ARROW_UP);
    const selectedChip = await driver.findElement(By.css('[data-testid="chip-row"][aria-selected="true"] [data-testid="chip-name"]'));
    assert.equal((await selectedChip.getText()).trim(), chipNames.at(-2));
    await driver.sleep(200);
    await saveScreenshot(driver, 'keyboard-chips');
    await press(driver, Key.ENTER);
    const name = await byTestId(driver, 'chip-name-input');
    await driver.wait(async () => (await name.getAttribute('value')) === chipNames.at(-2), 10_000, 'the selected chip\'s form opens');
    await press(driver, Key.ESCAPE);

    await byTestId(driver, 'chip-row');
    await driver.executeScript('document.activeElement.blur()');
    await press(driver, '?');
    const dialog = await byTestId(driver, 'shortcuts-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    assert.match(await dialog.getText(), /Open the selected row/);
    await driver.sleep(200);
    await saveScreenshot(driver, 'keyboard-shortcuts');
  });
});
