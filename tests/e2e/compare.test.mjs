// The Compare page: three firms side by side, the evidence behind a cell, a
// saved comparison and an XLSX export read back from the file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { addComparedFirm, By, byTestId, repoRoot, saveScreenshot, startDisplay, typeInto, until, withApp } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-compare-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A word of the app's one vocabulary, read from the file `make bindings`
 * generates from crates/core/src/vocabulary.rs, so no test types it again.
 */
function vocabularyWord(constant) {
  const source = readFileSync(new URL('../../ui/src/lib/vocabulary.ts', import.meta.url), 'utf8');
  const found = new RegExp(`export const ${constant}: string = (".*?");`).exec(source);
  assert.ok(found, `${constant} in vocabulary.ts`);
  return JSON.parse(found[1]);
}
const NOT_RECORDED = vocabularyWord('NOT_RECORDED');
const NOT_APPLICABLE = vocabularyWord('NOT_APPLICABLE');
const ASSESSMENTS = vocabularyWord('ASSESSMENTS');

/** The values of a sheet's cells, in order, shared strings resolved. */
function sheetText(files, sheetPath) {
  const shared = files['xl/sharedStrings.xml']
    ? [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join(''))
    : [];
  const xml = strFromU8(files[sheetPath]);
  return [...xml.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map(([, attributes, body = '']) => {
    const type = /\bt="(\w+)"/.exec(attributes)?.[1];
    const value = /<v>([^<]*)<\/v>/.exec(body)?.[1] ?? /<t[^>]*>([^<]*)<\/t>/.exec(body)?.[1] ?? '';
    return type === 's' ? shared[Number(value)] : value;
  });
}

test('Huawei, Alibaba and Baidu compared, a cell traced to its sources, saved and exported to XLSX', async (t) => {
  // Alibaba has no export-control listing in the seeded workspace: the same word on every screen and in the export.
  const out = join(scratch, 'China AI chips, 中国.xlsx');
  const answer = join(scratch, 'answer.txt');
  writeFileSync(answer, `${out}\n`);
  // Every source gets an abstract and every listing a citation, so the evidence panel has an excerpt and a locator to show.
  const workspace = join(scratch, 'compare.db');
  execFileSync(cli, ['--workspace', workspace, 'init']);
  execFileSync('sqlite3', [
    workspace,
    `UPDATE sources SET abstract = 'Excerpt, “摘要”: ' || title || '. ' || 'A long abstract, with commas and 中文, goes on. ' || 'More words follow here. ' || 'And still more. ';
     UPDATE export_control_listings SET citation = coalesce(citation, '84 FR 22961');`,
  ]);
  // The passage Huawei's in-house chips stance rests on, quoted as the assessment form would keep it.
  const strategy = JSON.parse(execFileSync(cli, ['--workspace', workspace, 'list', 'strategies', '--json'], { encoding: 'utf8' })).find((s) => /in-house chips/i.test(s.name));
  const assessment = JSON.parse(
    execFileSync(cli, ['--workspace', workspace, 'assessment', 'show', '--firm', 'Huawei', '--strategy', strategy.name, '--json'], { encoding: 'utf8' }),
  );
  const quoted = assessment.draft.evidence[0].sourceId;
  execFileSync(cli, ['--workspace', workspace, 'assessment', 'set', '--firm', 'Huawei', '--strategy', strategy.name, '--excerpt', `${quoted}:昇腾 910 “达到” the stated figure, page 3`]);
  await withApp(t, display.display, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    const alibabaRow = await driver.findElement(By.css('[data-testid="firm-row"][data-firm-name="Alibaba"]'));
    const alibabaCells = await alibabaRow.findElements(By.css('td'));
    assert.equal(await alibabaCells[6].getAttribute('textContent'), NOT_RECORDED, 'Firms list: no listing recorded');
    assert.equal(await alibabaCells[3].getAttribute('textContent'), NOT_APPLICABLE, 'Firms list: no parent firm');
    const assessmentsHeader = await (await byTestId(driver, 'firm-sort-assessments')).findElement(By.css('.label'));
    assert.equal(await assessmentsHeader.getAttribute('textContent'), ASSESSMENTS);
    assert.doesNotMatch(await (await byTestId(driver, 'firms-table')).getText(), /—|\bunknown\b|\bNone\b/, 'no other word for it');
    await saveScreenshot(driver, 'firms-vocabulary');
    // Alibaba's profile says so too, and heads its assessments as every screen does.
    await alibabaCells[0].click();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'firm-name'), 'Alibaba'), 10_000);
    const noListings = await byTestId(driver, 'listings-not-recorded');
    assert.ok((await noListings.getText()).toLowerCase().startsWith(NOT_RECORDED), await noListings.getText());
    assert.equal((await (await byTestId(driver, 'jump-strategies')).getText()).replace(/\s*\d+$/, ''), ASSESSMENTS);
    await saveScreenshot(driver, 'alibaba-profile-vocabulary');

    await (await byTestId(driver, 'nav-compare')).click();
    await addComparedFirm(driver, '华为', 'Huawei');
    await addComparedFirm(driver, 'Alibaba', 'Alibaba');
    await addComparedFirm(driver, 'baidu', 'Baidu');

    const table = await byTestId(driver, 'compare-table');
    await driver.wait(async () => (await table.findElements(By.css('[data-testid="compare-firm-header"]'))).length === 3, 10_000, 'three firm columns');
    const headers = await Promise.all((await table.findElements(By.css('[data-testid="compare-firm-header"]'))).map((h) => h.getText()));
    assert.deepEqual(headers.map((h) => h.replace(/\s+/g, ' ')), ['Huawei 华为', 'Alibaba 阿里巴巴', 'Baidu 百度'], 'in the order added, with native names');
    const states = await Promise.all((await table.findElements(By.css('[data-testid="compare-cell"]'))).map((c) => c.getAttribute('data-state')));
    assert.ok(states.includes('notRecorded') && states.includes('notApplicable'), 'missing values are marked, not blank');
    // The cells without a value read the vocabulary's words, the states' only words.
    const wordsOf = async (state) =>
      Promise.all((await table.findElements(By.css(`[data-testid="compare-cell"][data-state="${state}"]`))).map((c) => c.getAttribute('textContent')));
    assert.ok((await wordsOf('notRecorded')).every((w) => w.trim() === NOT_RECORDED), `not recorded: ${await wordsOf('notRecorded')}`);
    assert.ok((await wordsOf('notApplicable')).every((w) => w.trim() === NOT_APPLICABLE), `n/a: ${await wordsOf('notApplicable')}`);
    // Dates inside values are shown as every date is; the export below keeps them ISO.
    const listings = await table.findElement(By.css('tr[data-dimension="profile:listings"]'));
    assert.match(await listings.getText(), /Entity List \(16 May 2019\)/);
    const listingCells = await listings.findElements(By.css('[data-testid="compare-cell"]'));
    assert.equal(await listingCells[1].getAttribute('data-state'), 'notRecorded', "Alibaba's listings");
    assert.equal((await listingCells[1].getAttribute('textContent')).trim(), NOT_RECORDED);
    // A count of sources is written in words; "[n]" would be a reference number, and Compare has no numbered list.
    const counts = await Promise.all((await table.findElements(By.css('[data-testid="compare-cell-sources"]'))).map((c) => c.getAttribute('textContent')));
    assert.ok(counts.length > 0 && counts.every((c) => /^[\d,]+ sources?$/.test(c)), `source counts: ${counts}`);
    assert.doesNotMatch(await table.getText(), /\[\d+\]|\bunknown\b|none recorded/, 'no bracketed count, no old word');
    assert.doesNotMatch(await table.getText(), /\b\d{4}-\d{2}(-\d{2})?\b/, 'no ISO date on screen');
    const bestTpp = await table.findElement(By.css('tr[data-dimension="chips:bestTpp"]'));
    assert.match(await bestTpp.getText(), /6,016/, 'numbers with thousands separators, as on Chips');
    // Export sits with Save in the header.
    await driver.findElement(By.css('.view-header [data-testid="compare-export-button"]'));
    await driver.sleep(300);
    await saveScreenshot(driver, 'compare-matrix');

    // The evidence behind Huawei's first traceable cell.
    const traceable = await table.findElement(By.css('button[data-testid="compare-cell"]'));
    await traceable.click();
    const panel = await byTestId(driver, 'evidence-panel');
    await driver.wait(until.elementIsVisible(panel), 10_000);
    await driver.wait(async () => (await panel.findElements(By.css('[data-testid="evidence-source"]'))).length > 0, 10_000, 'sources listed');
    await driver.sleep(300);
    await saveScreenshot(driver, 'compare-evidence');
    // Each source says where in it (or that nobody recorded where) and starts with what it says.
    const where = await Promise.all((await panel.findElements(By.css('[data-testid="evidence-locator"]'))).map((e) => e.getAttribute('textContent')));
    assert.ok(where.length > 0 && where.every((text) => /^\s*Where\s+\S/.test(text)), `locators: ${where.join(' | ')}`);
    const excerpts = await Promise.all((await panel.findElements(By.css('[data-testid="evidence-excerpt"]'))).map((e) => e.getAttribute('textContent')));
    assert.ok(excerpts.some((text) => text.startsWith('Excerpt, “摘要”: ')), `excerpts: ${excerpts.join(' | ')}`);
    await (await panel.findElement(By.xpath('.//button[normalize-space()="Close"]'))).click();
    await driver.wait(until.elementIsNotVisible(panel), 10_000);

    // Huawei's stance: the passage it rests on is quoted, not the abstract.
    await (await table.findElement(By.css(`td[data-firm="Huawei"][data-dimension="strategy:${strategy.id}:stance"] button[data-testid="compare-cell"]`))).click();
    await driver.wait(until.elementIsVisible(panel), 10_000);
    await driver.wait(async () => {
      const quotes = await Promise.all((await panel.findElements(By.css('[data-testid="evidence-quote"]'))).map((e) => e.getAttribute('textContent')));
      return quotes.includes('“昇腾 910 “达到” the stated figure, page 3”');
    }, 10_000, 'the quoted passage');
    await saveScreenshot(driver, 'compare-evidence-quote');
    await (await panel.findElement(By.xpath('.//button[normalize-space()="Close"]'))).click();
    await driver.wait(until.elementIsNotVisible(panel), 10_000);

    // A cell in the last column: the panel docks away from it and the cell stays in view.
    const lastColumnCell = await driver.wait(async () => {
      const cells = await table.findElements(By.css('td[data-firm="Baidu"] button[data-testid="compare-cell"]'));
      return cells[0] ?? null;
    }, 10_000, 'a traceable Baidu cell');
    for (const cell of [traceable, lastColumnCell]) {
      await cell.click();
      await driver.wait(until.elementIsVisible(panel), 10_000);
      await driver.sleep(300);
      const [cellBox, panelBox, viewport] = await driver.executeScript(
        'const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };' +
          'return [box(arguments[0].closest("td")), box(arguments[1]), window.innerWidth];',
        cell,
        panel,
      );
      const overlaps = cellBox.left < panelBox.right && panelBox.left < cellBox.right && cellBox.top < panelBox.bottom && panelBox.top < cellBox.bottom;
      assert.ok(!overlaps, `the panel ${JSON.stringify(panelBox)} covers the clicked cell ${JSON.stringify(cellBox)}`);
      assert.ok(cellBox.left >= 0 && cellBox.right <= viewport, `the clicked cell is on screen: ${JSON.stringify(cellBox)}`);
      if (cell === lastColumnCell) await saveScreenshot(driver, 'compare-evidence-last-column');
      await (await panel.findElement(By.xpath('.//button[normalize-space()="Close"]'))).click();
      await driver.wait(until.elementIsNotVisible(panel), 10_000);
    }
    // A listing's evidence: its citation is where in the source.
    await (await table.findElement(By.css('tr[data-dimension="profile:listings"] td[data-firm="Huawei"] button[data-testid="compare-cell"]'))).click();
    await driver.wait(until.elementIsVisible(panel), 10_000);
    await driver.wait(async () => {
      const shown = await Promise.all((await panel.findElements(By.css('[data-testid="evidence-locator"]'))).map((e) => e.getAttribute('textContent')));
      return shown.some((text) => /Where\s+84 FR 22961/.test(text));
    }, 10_000, 'the listing citation as the locator');
    await (await panel.findElement(By.xpath('.//button[normalize-space()="Close"]'))).click();
    await driver.wait(until.elementIsNotVisible(panel), 10_000);

    await (await byTestId(driver, 'compare-save-as')).click();
    await typeInto(await byTestId(driver, 'compare-name-dialog-input'), 'China AI chips, 中国 "big three"');
    await (await byTestId(driver, 'compare-name-dialog-confirm')).click();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'compare-saved-name'), 'China AI chips, 中国 "big three"'), 10_000);
    // Saved, the setup folds into a line and the matrix gets the window.
    const setup = await byTestId(driver, 'compare-setup');
    await driver.wait(async () => (await setup.getAttribute('open')) === null, 10_000, 'the setup folds');
    assert.match(await setup.getText(), /What to compare\s+Huawei, Alibaba, Baidu · \d+ of \d+ dimensions/);
    await driver.sleep(300);
    await saveScreenshot(driver, 'compare-setup-folded');

    // The chart shows the compared firms' chips only.
    await (await driver.findElement(By.xpath('//summary[contains(., "3A090")]'))).click();
    const chart = await byTestId(driver, 'chip-chart');
    await driver.wait(async () => Number(await chart.getAttribute('data-point-count')) > 0, 20_000, 'chips plotted');
    const legend = await Promise.all((await chart.findElements(By.css('[data-testid="chart-legend-item"]'))).map((l) => l.getAttribute('textContent')));
    assert.ok(legend.length > 0 && legend.every((l) => /Huawei|Alibaba|Baidu|T-Head|Kunlunxin/.test(l)) && !legend.some((l) => /NVIDIA/.test(l)), `only compared firms: ${legend}`);

    await (await byTestId(driver, 'compare-export-button')).click();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'compare-exported'), 'xlsx'), 20_000);

    // The firms ordered by a row: Best TPP, highest first; again, lowest first.
    const tppRow = async () => byTestId(driver, 'compare-table').then((t) => t.findElement(By.css('tr[data-dimension="chips:bestTpp"]')));
    const numbers = async () =>
      (await Promise.all((await (await tppRow()).findElements(By.css('td'))).map(async (td) => Number(/^[\d,.]+/.exec(await td.getText())?.[0].replace(/,/g, '') ?? NaN))))
        .filter((n) => !Number.isNaN(n));
    const firstFirm = async () => (await byTestId(driver, 'compare-firm-header')).getText();
    // Alibaba's Hanguang 800 (6,600) is above Huawei's Ascend 910B (6,016), Baidu's Kunlun I (2,048) last.
    await (await (await tppRow()).findElement(By.css('[data-testid="compare-order-by"]'))).click();
    await driver.wait(async () => /^Alibaba/.test(await firstFirm()), 10_000, 'the highest first');
    const descending = await numbers();
    assert.ok(descending.length === 3 && descending.every((n, i) => i === 0 || descending[i - 1] >= n), `highest first: ${descending}`);
    await (await (await tppRow()).findElement(By.css('[data-testid="compare-order-by"]'))).click();
    await driver.wait(async () => /^Baidu/.test(await firstFirm()), 10_000, 'the lowest first now');
    const ascending = await numbers();
    assert.ok(ascending.length === 3 && ascending.every((n, i) => i === 0 || ascending[i - 1] <= n), `lowest first: ${ascending}`);
    await driver.sleep(300);
    await saveScreenshot(driver, 'compare-ordered-by-tpp');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });

  const files = unzipSync(new Uint8Array(readFileSync(out)));
  const workbook = strFromU8(files['xl/workbook.xml']);
  const sheetNames = [...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
  for (const name of ['Comparison', 'Evidence', 'Sources', 'About']) assert.ok(sheetNames.includes(name), `sheet ${name} in ${sheetNames}`);
  const comparison = sheetText(files, 'xl/worksheets/sheet1.xml');
  for (const firm of ['Huawei', 'Alibaba', 'Baidu']) assert.ok(comparison.some((v) => v?.startsWith(firm)), `${firm} is a header of the Comparison sheet`);
  assert.ok(comparison.some((v) => v?.includes('Entity List (2019-05-16)')), 'the export keeps ISO dates');
  assert.ok(comparison.includes(NOT_RECORDED), `Alibaba's listings in the export: ${comparison}`);
  assert.ok(!comparison.some((v) => /^(unknown|none recorded)$/.test(v ?? '')), 'no old word in the export');
  const evidenceXml = strFromU8(files['xl/worksheets/sheet2.xml']);
  assert.match(evidenceXml, /<hyperlink [^>]*r:id=/, 'the Evidence sheet links citations');
  const rels = strFromU8(files['xl/worksheets/_rels/sheet2.xml.rels']);
  assert.match(rels, /Target="https?:\/\/[^"]+"[^>]*TargetMode="External"/, 'the link goes to the source on the web');
});

test('SMIC, Huawei and Cambricon show their Entity List listings, each traced to its Federal Register rule', async (t) => {
  await withApp(t, display.display, join(scratch, 'listings.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-compare')).click();
    await addComparedFirm(driver, '中芯', 'SMIC');
    await addComparedFirm(driver, 'Huawei', 'Huawei');
    await addComparedFirm(driver, '寒武纪', 'Cambricon');

    const table = await byTestId(driver, 'compare-table');
    await driver.wait(async () => (await table.findElements(By.css('[data-testid="compare-firm-header"]'))).length === 3, 10_000, 'three firm columns');
    const listings = await table.findElement(By.css('tr[data-dimension="profile:listings"]'));
    const cells = await Promise.all((await listings.findElements(By.css('[data-testid="compare-cell"]'))).map((c) => c.getAttribute('textContent')));
    // Each value, then how many sources back it.
    assert.deepEqual(
      cells.map((c) => c.trim()),
      ['Entity List (18 Dec 2020) 1 source', 'Entity List (16 May 2019) 1 source', 'Entity List (16 Dec 2022) 1 source'],
      'no "unknown": each firm shows its listing',
    );
    await driver.sleep(300);
    await saveScreenshot(driver, 'compare-listings');

    // SMIC's listing opens to the rule that made it, with its citation.
    await (await listings.findElement(By.css('button[data-testid="compare-cell"]'))).click();
    const panel = await byTestId(driver, 'evidence-panel');
    await driver.wait(until.elementIsVisible(panel), 10_000);
    await driver.wait(until.elementTextContains(panel, 'SMIC among 77 entities'), 10_000, 'the rule is the evidence');
    await driver.sleep(300);
    await saveScreenshot(driver, 'compare-listings-evidence');
  });
});
