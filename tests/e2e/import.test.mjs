// The import wizard on a Zotero-style CSV (made by `chipwatch
// generate-zotero-csv`: English and Chinese titles, quotes, commas and line
// breaks in fields, ~2% repeated addresses): preview, check with its
// duplicate report, import while another page keeps working, undo.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addComparedFirm, By, byTestId, repoRoot, saveScreenshot, startDisplay, until, withApp } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');
let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-import-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const number = async (element) => Number((await element.getText()).replace(/[^\d]/g, ''));

async function sourceCount(driver) {
  const summary = await byTestId(driver, 'workspace-summary');
  const match = /([\d,]+) sources/.exec(await summary.getText());
  return match ? Number(match[1].replace(/,/g, '')) : NaN;
}

test('a Zotero file is previewed, checked, imported while a profile opens, and undone', async (t) => {
  const csv = join(scratch, 'Zotero export 中文.csv');
  // Enough rows that the import still runs while a profile opens (the debug
  // build imports ~8,000 rows a second here).
  const rows = 50_000;
  execFileSync(cli, ['generate-zotero-csv', csv, '--rows', String(rows)]);
  const answer = join(scratch, 'answer.txt');
  writeFileSync(answer, `${csv}\n`);

  await withApp(t, display.display, join(scratch, 'import.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    const before = await sourceCount(driver);
    await (await byTestId(driver, 'nav-import')).click();
    // A file may be dropped from a file manager too: the window listens for drops
    // (WebDriver cannot drag a file from outside the window, so it chooses one).
    const dropZone = await byTestId(driver, 'import-drop-zone');
    await driver.wait(async () => (await dropZone.getAttribute('data-drop-ready')) === 'true', 10_000, 'the drop listener is allowed and registered');
    assert.match(await dropZone.getText(), /drop one here/);
    await (await byTestId(driver, 'import-choose-file')).click();

    // Preview: the file as it will be read, Zotero's columns mapped.
    const preview = await byTestId(driver, 'import-preview');
    await driver.wait(async () => (await preview.findElements(By.css('[data-testid="import-preview-row"]'))).length >= 5, 10_000);
    const fields = await Promise.all((await preview.findElements(By.css('[data-testid="import-field"]'))).map((s) => s.getAttribute('value')));
    for (const field of ['title', 'authors', 'url', 'doi', 'publishedOn']) assert.ok(fields.includes(field), `a column maps to ${field}: ${fields}`);
    assert.match(await preview.getText(), /[\u4e00-\u9fff]{2}/, 'Chinese titles show decoded');
    await saveScreenshot(driver, 'import-preview');

    // Check: a dry run that lists duplicates with what they match.
    await (await byTestId(driver, 'import-check')).click();
    const report = await driver.wait(until.elementLocated(By.css('[data-testid="import-report"]')), 60_000);
    const duplicates = await number(await report.findElement(By.css('[data-testid="report-duplicates"]')));
    assert.ok(duplicates > 0, 'the repeated addresses are found');
    await (await byTestId(driver, 'report-duplicates-tab')).click();
    const duplicateRows = await byTestId(driver, 'report-duplicate-rows');
    assert.match(await duplicateRows.getText(), /same web address/);
    await saveScreenshot(driver, 'import-check');
    assert.equal(await sourceCount(driver), before, 'a check writes nothing');

    // Import; while it runs, another page keeps working.
    await (await byTestId(driver, 'import-run')).click();
    await byTestId(driver, 'import-progress');
    await (await byTestId(driver, 'nav-firms')).click();
    await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Huawei"] td')), 10_000)).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'Huawei'), 10_000);
    await (await byTestId(driver, 'nav-import')).click();
    const running = await driver.findElements(By.css('[data-testid="import-progress"]'));
    assert.ok(running.length === 1, 'the import was still running after the profile opened');

    const done = await driver.wait(until.elementLocated(By.css('[data-testid="import-done"]')), 120_000);
    const added = await number(await done.findElement(By.css('[data-testid="report-added"]')));
    const linked = await number(await done.findElement(By.css('[data-testid="report-linked"]')));
    assert.ok(added > rows * 0.95 && added + duplicates === rows, `added ${added} with ${duplicates} duplicates`);
    assert.ok(linked > 0, 'imported sources that name a firm are linked to it');
    await driver.wait(async () => (await sourceCount(driver)) === before + added, 10_000, 'the sidebar counts the new sources');
    await saveScreenshot(driver, 'import-done');

    // "Show the sources" shows this import's sources, and says so.
    await (await byTestId(driver, 'import-show-sources')).click();
    await driver.wait(async () => (await number(await byTestId(driver, 'source-total'))) === added, 10_000, 'only the imported sources');
    assert.match(await (await byTestId(driver, 'source-batch')).getText(), /from the import of Zotero export 中文\.csv/);
    await driver.sleep(300);
    await saveScreenshot(driver, 'sources-of-an-import');
    await (await byTestId(driver, 'source-batch-clear')).click();
    await driver.wait(async () => (await number(await byTestId(driver, 'source-total'))) === before + added, 10_000, 'all sources again');

    // The firm mentions show on the profile.
    await (await byTestId(driver, 'nav-firms')).click();
    await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Huawei"] td')), 10_000)).click();
    const mentions = await byTestId(driver, 'firm-mentions');
    await driver.wait(async () => (await mentions.findElements(By.css('[data-testid="mention-row"]'))).length > 0, 10_000, 'imported sources that name Huawei are listed on its profile');
    assert.match(await (await byTestId(driver, 'jump-mentions')).getText(), /Mentioned in sources\s*[\d,]+/, 'a jump link leads to them');
    // A table, read 50 rows a page.
    assert.ok((await mentions.findElements(By.css('[data-testid="mention-row"]'))).length <= 50);
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', await byTestId(driver, 'mentions-bulk'));
    await saveScreenshot(driver, 'import-mentions');
    await (await byTestId(driver, 'nav-import')).click();

    // Undo the batch.
    await (await byTestId(driver, 'import-undo')).click();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'undo-message'), 'undone'), 60_000);
    await driver.wait(async () => (await sourceCount(driver)) === before, 10_000, 'undo removes exactly what was added');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('an import cancelled while it runs says so, and is no failure', async (t) => {
  const csv = join(scratch, 'to cancel, 取消.csv');
  execFileSync(cli, ['generate-zotero-csv', csv, '--rows', '50000']);
  const answer = join(scratch, 'answer-cancel.txt');
  writeFileSync(answer, `${csv}\n`);

  await withApp(t, display.display, join(scratch, 'cancel.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    const before = await sourceCount(driver);
    await (await byTestId(driver, 'nav-import')).click();
    await (await byTestId(driver, 'import-choose-file')).click();
    const preview = await byTestId(driver, 'import-preview');
    await driver.wait(async () => (await preview.findElements(By.css('[data-testid="import-preview-row"]'))).length >= 5, 10_000);
    await (await byTestId(driver, 'import-run')).click();
    await byTestId(driver, 'import-progress');
    await (await byTestId(driver, 'import-cancel')).click();

    await byTestId(driver, 'import-cancelled');
    assert.equal((await driver.findElements(By.css('[role="alert"]'))).length, 0, 'no error is shown for a cancel');
    await saveScreenshot(driver, 'import-cancelled');
    assert.equal(await sourceCount(driver), before, 'a cancelled import writes nothing');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('the US screening list is recognised by its header, its matches shown before import, and SMIC gains its listings on the profile and on Compare', async (t) => {
  const csl = join(repoRoot, 'crates/core/tests/fixtures/screening-list/csl-2026-10-01.csv');
  const answer = join(scratch, 'answer-csl.txt');
  writeFileSync(answer, `${csl}\n`);

  await withApp(t, display.display, join(scratch, 'csl.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-import')).click();
    // Chosen as "Sources" (the default): the header says what the file is.
    await (await byTestId(driver, 'import-choose-file')).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="screening-recognized"]')), 10_000, 'the CSL header is recognised');
    const copyDate = await byTestId(driver, 'screening-copy-date');
    await copyDate.sendKeys('2026-10-01');
    assert.equal(await (await byTestId(driver, 'import-run')).isEnabled(), false, 'a screening list is checked before it is imported');

    // The check shows which firm each party becomes before anything is written.
    await (await byTestId(driver, 'import-check')).click();
    const report = await driver.wait(until.elementLocated(By.css('[data-testid="listings-report"]')), 60_000);
    const matches = await byTestId(driver, 'listings-matches');
    const matchText = await matches.getAttribute('textContent');
    assert.match(matchText, /Semiconductor Manufacturing International Corporation \(SMIC\)/);
    assert.match(matchText, /SMIC/);
    assert.match(matchText, /Huawei Technologies Co\., Ltd\./);
    assert.match(await report.getText(), /1 person, 1 vessel or aircraft/);
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', report);
    await saveScreenshot(driver, 'import-csl-check');

    await (await byTestId(driver, 'import-run')).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="import-done"]')), 60_000);

    // SMIC's profile: the Treasury list beside the Entity List, and what the list says of the licence policy.
    await (await byTestId(driver, 'nav-firms')).click();
    await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="SMIC"] td')), 10_000)).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'SMIC'), 10_000);
    const listings = await driver.findElements(By.css('[data-testid="listing"]'));
    const listingText = (await Promise.all(listings.map((l) => l.getAttribute('textContent')))).join(' | ');
    assert.match(listingText, /Non-SDN Chinese Military-Industrial Complex Companies List/);
    assert.match(listingText, /85 FR 83416/);
    assert.match(listingText, /10 nm or below/, 'the licence policy from the list');
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', listings[0]);
    await saveScreenshot(driver, 'profile-csl-listings');

    // Compare: SMIC's listings cell names both lists, with their dates.
    await (await byTestId(driver, 'nav-compare')).click();
    await addComparedFirm(driver, '中芯', 'SMIC');
    const table = await byTestId(driver, 'compare-table');
    const row = await driver.wait(async () => {
      const rows = await table.findElements(By.css('tr[data-dimension="profile:listings"]'));
      return rows[0] ?? false;
    }, 10_000);
    const cell = (await row.findElement(By.css('[data-testid="compare-cell"]')).getAttribute('textContent')).trim();
    assert.match(cell, /^Entity List \(18 Dec 2020\); Non-SDN Chinese Military-Industrial Complex Companies List \(3 Jun 2021\) 2 sources$/, cell);
    await saveScreenshot(driver, 'compare-csl-listings');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('a supply-chain firm list imports only its organizations, with their alpha-3 countries', async (t) => {
  // The project's fixture: provider_type is "organization" or "country",
  // countries as ISO alpha-3 (CHN, USA, JPN …), "organization" as a kind.
  const csv = join(repoRoot, 'crates/core/tests/fixtures/import/supply_chain_providers.csv');
  const answer = join(scratch, 'answer-supply-chain.txt');
  writeFileSync(answer, `${csv}\n`);

  await withApp(t, display.display, join(scratch, 'supply-chain.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-import')).click();
    await (await driver.findElement(By.css('input[name="target"][value="firms"]'))).click();
    await (await byTestId(driver, 'import-choose-file')).click();
    // Looked up afresh each time: a new preview renders its table anew.
    const previewRows = async () => (await driver.findElements(By.css('[data-testid="import-preview-row"]'))).length;
    await driver.wait(async () => (await previewRows()) === 14, 10_000, 'every row of the file before a filter');

    // Only rows where provider_type is organization: the value is offered from the file.
    await (await byTestId(driver, 'import-where-add')).click();
    // Chosen as a person's pick fires it (clicking the <option> itself lands
    // elsewhere in WebKitWebDriver when the select sits below the page's header).
    await driver.executeScript(
      'const select = arguments[0]; select.value = arguments[1]; select.dispatchEvent(new Event("change", { bubbles: true }));',
      await byTestId(driver, 'import-where-column'),
      'provider_type',
    );
    const offered = await driver.wait(async () => {
      const buttons = await driver.findElements(By.css('[data-testid="import-where-offered"]'));
      return buttons.length === 2 ? buttons : null;
    }, 10_000, 'the two values of provider_type are offered');
    assert.deepEqual(await Promise.all(offered.map(async (b) => (await b.getAttribute('textContent')).trim())), ['country', 'organization']);
    await offered[1].click();
    await driver.wait(async () => (await previewRows()) === 8, 10_000, 'the preview keeps the eight organizations');
    assert.match(await (await byTestId(driver, 'import-left-out')).getText(), /^6 rows left out/);
    assert.doesNotMatch(await (await byTestId(driver, 'import-preview')).getAttribute('textContent'), /Country-level aggregate/, 'the country rows are not shown');
    await saveScreenshot(driver, 'import-only-rows-where');

    // The check: rows left out are counted, unknown words are warnings.
    await (await byTestId(driver, 'import-check')).click();
    const report = await driver.wait(until.elementLocated(By.css('[data-testid="import-report"]')), 30_000);
    assert.equal(await number(await report.findElement(By.css('[data-testid="report-left-out"]'))), 6);
    assert.equal(await number(await report.findElement(By.css('[data-testid="report-added"]'))), 7);
    assert.equal(await number(await report.findElement(By.css('[data-testid="report-rejected"]'))), 0);
    assert.equal(await number(await report.findElement(By.css('[data-testid="report-warned"]'))), 4);
    const warnings = await byTestId(driver, 'report-row-warnings');
    const warningText = await warnings.getAttribute('textContent');
    assert.match(warningText, /'organization' is not a kind of firm Chipwatch knows\. Kept the firm/);
    assert.match(warningText, /'ATL' is not a country Chipwatch knows/);
    await (await byTestId(driver, 'report-warnings-tab')).click();
    // The report sits below the preview: scrolled into view for the screenshot.
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', report);
    await driver.sleep(1500);
    await saveScreenshot(driver, 'import-row-warnings');

    await (await byTestId(driver, 'import-run')).click();
    const done = await driver.wait(until.elementLocated(By.css('[data-testid="import-done"]')), 30_000);
    assert.equal(await number(await done.findElement(By.css('[data-testid="report-added"]'))), 7);

    // The firms, with their countries as two letters; no country became a firm.
    await (await byTestId(driver, 'nav-firms')).click();
    for (const [name, country] of [['Tokyo Electron', 'JP'], ['Samsung Electronics', 'KR'], ['ASML', 'NL'], ['Carl Zeiss SMT', 'DE'], ['Applied Materials', 'US'], ['Hon Hai Precision (Foxconn)', 'TW']]) {
      const row = await driver.wait(until.elementLocated(By.css(`[data-testid="firm-row"][data-firm-name="${name}"]`)), 10_000, `${name} is listed`);
      const cells = await row.findElements(By.css('td'));
      assert.equal((await cells[2].getAttribute('textContent')).trim(), country, name);
    }
    for (const name of ['Japan', 'Netherlands', 'United States']) {
      assert.equal((await driver.findElements(By.css(`[data-testid="firm-row"][data-firm-name="${name}"]`))).length, 0, `${name} is no firm`);
    }
    await saveScreenshot(driver, 'import-supply-chain-firms');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('a BibTeX file is previewed without a mapping, imported, and its Chinese title is in the Sources list', async (t) => {
  // The core's own fixture: Chinese title and authors, an organisation's
  // report with an emoji and quotes, a page the dataset holds, an untitled entry.
  const bib = join(scratch, '参考文献 refs.bib');
  copyFileSync(join(repoRoot, 'crates/core/tests/fixtures/citations/refs.bib'), bib);
  const answer = join(scratch, 'answer-bib.txt');
  writeFileSync(answer, `${bib}\n`);

  await withApp(t, display.display, join(scratch, 'bib.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    const before = await sourceCount(driver);
    await (await byTestId(driver, 'nav-import')).click();
    await (await byTestId(driver, 'import-choose-file')).click();

    // Preview: the format and record count, no column mapping, the records as sources.
    const format = await byTestId(driver, 'import-citation-format');
    assert.match(await format.getText(), /BibTeX · 4 records/);
    const preview = await byTestId(driver, 'import-preview');
    assert.equal((await preview.findElements(By.css('[data-testid="import-field"]'))).length, 0, 'no column to map');
    assert.equal((await preview.findElements(By.css('[data-testid="import-encoding"]'))).length, 0, 'no encoding to choose');
    const rows = await preview.findElements(By.css('[data-testid="import-preview-row"]'));
    assert.equal(rows.length, 4);
    assert.match(await rows[0].getAttribute('textContent'), /华为昇腾910B的性能分析[\s\S]*张三; 李四; Allen, Gregory C\./);
    assert.match(await preview.getAttribute('textContent'), /@article\{mueller2022\} has no title/);
    await saveScreenshot(driver, 'import-bibtex-preview');

    // Import, then the report names the untitled entry by its line.
    await (await byTestId(driver, 'import-run')).click();
    const done = await driver.wait(until.elementLocated(By.css('[data-testid="import-done"]')), 60_000);
    assert.equal(await number(await done.findElement(By.css('[data-testid="report-added"]'))), 2);
    assert.equal(await number(await done.findElement(By.css('[data-testid="report-rejected"]'))), 1);
    assert.match(await done.getText(), /Records read[\s\S]*Read as\s*BibTeX/);
    const problems = await done.findElement(By.css('[data-testid="report-problems"]'));
    assert.match(await problems.getText(), /Line[\s\S]*36[\s\S]*has no title/);
    await saveScreenshot(driver, 'import-bibtex-done');
    await driver.wait(async () => (await sourceCount(driver)) === before + 2, 10_000, 'the sidebar counts the new sources');

    // The Sources list of this import holds the Chinese title.
    await (await byTestId(driver, 'import-show-sources')).click();
    await driver.wait(async () => (await number(await byTestId(driver, 'source-total'))) === 2, 10_000, 'the two imported sources');
    const titles = await Promise.all((await driver.findElements(By.css('[data-testid="source-row"]'))).map((row) => row.getAttribute('textContent')));
    assert.ok(titles.some((text) => text.includes('华为昇腾910B的性能分析')), `the Chinese title is listed: ${titles}`);
    assert.ok(titles.some((text) => text.includes('AI chips 🚀: "Export controls", commas, and \'quotes\'')), `the emoji and quotes stay: ${titles}`);
    await saveScreenshot(driver, 'import-bibtex-sources');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});
