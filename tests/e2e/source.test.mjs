// A source read, not edited: opened from a Compare cell's evidence, its
// citation copied, its web address opened (into a log file: the shell's test
// hook, CHIPWATCH_TEST_OPEN_URL_LOG, stands in for the browser), Edit and
// Cancel back to it, and Back to the same cell with the matrix scrolled as it
// was; from the Sources list, Back to the same scroll position; a source
// cited by nothing says so; citations exported from the Sources list, a firm's
// profile and Compare, read back from the files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addComparedFirm, By, byTestId, Key, repoRoot, saveScreenshot, startDisplay, typeInto, until, withApp } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-source-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The page's and the matrix's scroll positions. */
function scrollOf(driver) {
  return driver.executeScript(`
    const main = document.querySelector('main.content');
    const table = document.querySelector('[data-testid="compare-table"]');
    return {
      page: main ? main.scrollTop : null,
      pageMax: main ? main.scrollHeight - main.clientHeight : null,
      top: table ? table.scrollTop : null,
      left: table ? table.scrollLeft : null,
    };
  `);
}

const LONG_TITLE = '华为昇腾 910B 芯片拆解：“国产替代”的进展, with a very long English subtitle that has to wrap over several lines 🚀';

test('a source opened from a Compare cell reads, copies, opens its address, and Back returns to the same cell', async (t) => {
  const workspace = join(scratch, 'source.db');
  const opened = join(scratch, 'opened-urls.txt');
  // Enough sources that the Sources list scrolls.
  execFileSync(cli, ['--workspace', workspace, 'init']);
  for (let n = 1; n <= 30; n++) {
    execFileSync(cli, ['--workspace', workspace, 'source', 'add', '--title', `Filler report ${n}, 填充 "${n}"`, '--publisher', 'Example Press']);
  }
  await withApp(
    t,
    display.display,
    workspace,
    async (driver) => {
      await byTestId(driver, 'firm-row');
      await (await byTestId(driver, 'nav-compare')).click();
      await addComparedFirm(driver, '华为', 'Huawei');
      await addComparedFirm(driver, 'Alibaba', 'Alibaba');
      await addComparedFirm(driver, 'baidu', 'Baidu');
      const table = await byTestId(driver, 'compare-table');
      await driver.wait(async () => (await table.findElements(By.css('[data-testid="compare-firm-header"]'))).length === 3, 10_000, 'three firm columns');

      // The last traceable cell, scrolled to inside the matrix, so Back has a position to restore.
      const cells = await table.findElements(By.css('button[data-testid="compare-cell"]'));
      assert.ok(cells.length > 1, 'cells with sources');
      const cell = cells.at(-1);
      await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', cell);
      await driver.sleep(200);
      const scrolled = await scrollOf(driver);
      assert.ok(scrolled.top > 0 || scrolled.page > 0, `the matrix or the page is scrolled (${JSON.stringify(scrolled)})`);
      await cell.click();

      const panel = await byTestId(driver, 'evidence-panel');
      await driver.wait(until.elementIsVisible(panel), 10_000);
      const eyebrow = await (await panel.findElement(By.css('.eyebrow'))).getText();
      const firstSource = await driver.wait(until.elementLocated(By.css('[data-testid="evidence-source"] .title')), 10_000);
      const title = await firstSource.getText();
      // Where Back must return: the page and the matrix as they are when the source is opened.
      const before = await scrollOf(driver);
      await firstSource.click();

      // The read view, not the form.
      const heading = await byTestId(driver, 'source-title');
      assert.equal(await heading.getText(), title);
      assert.equal((await driver.findElements(By.css('[data-testid="form-cancel"]'))).length, 0, 'no edit form');
      const citation = await (await byTestId(driver, 'source-citation')).getText();
      assert.ok(citation.includes(title.replace(/\s+/g, ' ').replace(/[.?!。？！]$/, '')), `the citation names the title: ${citation}`);
      assert.match(citation, /\d{4}|n\.d\./, 'the citation has a year');
      const citedBy = await byTestId(driver, 'source-cited-by');
      const firmName = eyebrow.split(' · ')[0];
      assert.ok((await citedBy.getText()).includes(firmName), `what cites it names ${firmName}`);
      assert.equal((await driver.findElements(By.css('[data-testid="source-cited-by-nothing"]'))).length, 0);

      // Copy the citation: the button confirms.
      const copy = await byTestId(driver, 'source-copy-citation');
      await copy.click();
      await driver.wait(async () => /Copied/.test(await copy.getText()), 5_000, 'a "Copied" confirmation');
      const clipboard = await driver.executeAsyncScript('const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(null));');
      if (clipboard !== null) assert.equal(clipboard, citation, 'the clipboard holds the citation');

      // Open the web address (or the DOI) through the shell: the test hook logs it instead of starting a browser.
      const openButtons = await driver.findElements(By.css('[data-testid="source-open-url"], [data-testid="source-open-doi"]'));
      assert.ok(openButtons.length > 0, 'the source has an address to open');
      const address = await (await openButtons[0].findElement(By.xpath('following-sibling::span'))).getText();
      await openButtons[0].click();
      await driver.wait(() => existsSync(opened) && readFileSync(opened, 'utf8').trim() !== '', 5_000, 'the address reached the opener');
      const logged = readFileSync(opened, 'utf8').trim().split('\n');
      assert.equal(logged.length, 1);
      assert.match(logged[0], /^https?:\/\//);
      assert.ok(logged[0] === address || logged[0] === `https://doi.org/${address}`, `${logged[0]} is the address shown (${address})`);
      await driver.sleep(300);
      await saveScreenshot(driver, 'source-view-from-compare');

      // Edit opens the form; Cancel comes back to the source's page.
      await (await byTestId(driver, 'source-edit')).click();
      await (await byTestId(driver, 'form-cancel')).click();
      assert.equal(await (await byTestId(driver, 'source-title')).getText(), title);

      // Back: Compare, the same cell's evidence open, the matrix scrolled as it was.
      const back = await byTestId(driver, 'source-back');
      assert.equal(await back.getText(), '← Compare');
      await back.click();
      const panelAgain = await byTestId(driver, 'evidence-panel');
      await driver.wait(until.elementIsVisible(panelAgain), 10_000, 'the evidence panel open again');
      assert.equal(await (await panelAgain.findElement(By.css('.eyebrow'))).getText(), eyebrow, 'on the same cell');
      await driver.wait(async () => (await panelAgain.findElements(By.css('[data-testid="evidence-source"]'))).length > 0, 10_000);
      await driver.sleep(300);
      const after = await scrollOf(driver);
      assert.ok(Math.abs(after.top - before.top) <= 2, `the matrix scrolled as it was: ${before.top} → ${after.top}`);
      assert.ok(Math.abs(after.left - before.left) <= 2, `the matrix scrolled as it was: ${before.left} → ${after.left}`);
      assert.ok(Math.abs(after.page - before.page) <= 2, `the page scrolled as it was: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      await saveScreenshot(driver, 'source-back-to-compare');
      await (await panelAgain.findElement(By.xpath('.//button[normalize-space()="Close"]'))).click();
      await driver.wait(until.elementIsNotVisible(panelAgain), 10_000);

      // From the Sources list, sorted by title, a row further down; Back lands on the same
      // sort at the same scroll position.
      await (await byTestId(driver, 'nav-sources')).click();
      await (await byTestId(driver, 'sort-title')).click();
      const sortedBy = async () => (await byTestId(driver, 'sort-title')).findElement(By.xpath('./ancestor-or-self::*[@aria-sort][1]')).then((th) => th.getAttribute('aria-sort'));
      await driver.wait(async () => (await sortedBy()) === 'ascending', 10_000, 'sorted by title');
      // The header turns at the click; the rows follow when the sorted page arrives. A row
      // picked before that moves under the scroll (it once went to the top and the page did not scroll).
      await driver.wait(async () => (await (await byTestId(driver, 'sources-table')).getAttribute('aria-busy')) === 'false', 10_000, 'the sorted page loaded');
      const rows = await driver.wait(async () => {
        const found = await driver.findElements(By.css('[data-testid="source-row"]'));
        return found.length > 3 ? found : null;
      }, 10_000);
      const row = rows.at(-4);
      await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', row);
      await driver.sleep(200);
      const listBefore = (await scrollOf(driver)).page;
      assert.ok(listBefore > 0, 'the list is scrolled');
      await (await row.findElement(By.css('td.title-cell'))).click();
      await byTestId(driver, 'source-view');
      const listBack = await byTestId(driver, 'source-back');
      assert.equal(await listBack.getText(), '← Sources');
      await listBack.click();
      await byTestId(driver, 'sources-table');
      assert.equal(await sortedBy(), 'ascending', 'still sorted by title');
      await driver.sleep(500);
      const listAfter = (await scrollOf(driver)).page;
      assert.ok(Math.abs(listAfter - listBefore) <= 2, `the list scrolled as it was: ${listBefore} → ${listAfter}`);
    },
    { CHIPWATCH_TEST_OPEN_URL_LOG: opened },
  );
});

test('a source cited by nothing, found with Ctrl+K, says so; its Chinese title and address stay intact', async (t) => {
  const workspace = join(scratch, 'uncited.db');
  const opened = join(scratch, 'opened-uncited.txt');
  execFileSync(cli, ['--workspace', workspace, 'init']);
  execFileSync(cli, [
    '--workspace',
    workspace,
    'source',
    'add',
    '--title',
    LONG_TITLE,
    '--authors',
    '王伟; Li, "Lee"',
    '--publisher',
    '财新',
    '--published-on',
    '2024-03-05',
    '--url',
    'https://www.caixin.com/报告?id=1&x="a,b"',
  ]);
  await withApp(
    t,
    display.display,
    workspace,
    async (driver) => {
      await byTestId(driver, 'firm-row');
      await driver.actions().keyDown(Key.CONTROL).sendKeys('k').keyUp(Key.CONTROL).perform();
      const palette = await byTestId(driver, 'search-palette');
      await driver.wait(until.elementIsVisible(palette), 10_000);
      await typeInto(await byTestId(driver, 'search-input'), '昇腾');
      const hit = await driver.wait(until.elementLocated(By.css('[data-testid="search-hit"][data-kind="source"]')), 10_000);
      await driver.wait(until.elementTextContains(hit, '拆解'), 10_000);
      await hit.click();
      assert.equal(await (await byTestId(driver, 'source-title')).getText(), LONG_TITLE);
      const nothing = await byTestId(driver, 'source-cited-by-nothing');
      assert.match(await nothing.getText(), /Nothing cites this source/);
      assert.equal(
        await (await byTestId(driver, 'source-citation')).getText(),
        `王伟; Li, "Lee". 2024. “${LONG_TITLE}.” 财新, March 5. https://www.caixin.com/报告?id=1&x="a,b".`,
      );
      await (await byTestId(driver, 'source-open-url')).click();
      await driver.wait(() => existsSync(opened), 5_000, 'the address reached the opener');
      assert.equal(readFileSync(opened, 'utf8'), 'https://www.caixin.com/报告?id=1&x="a,b"\n');
      await driver.sleep(300);
      await saveScreenshot(driver, 'source-view-cited-by-nothing');
    },
    { CHIPWATCH_TEST_OPEN_URL_LOG: opened },
  );
});

test('citations exported from the Sources list (filtered, ticked), a firm profile and Compare are the files the CLI writes', async (t) => {
  const workspace = join(scratch, 'citations.db');
  const answer = join(scratch, 'citations-answer.txt');
  const out = (name) => join(scratch, name);
  const title = '华为芯片的“国产替代”进展, with "quotes" & 50% {braces}';
  execFileSync(cli, ['--workspace', workspace, 'init']);
  const added = JSON.parse(
    execFileSync(
      cli,
      [
        '--workspace',
        workspace,
        'source',
        'add',
        '--kind',
        'report',
        '--title',
        title,
        '--authors',
        '张三; Center for Security and Emerging Technology; Allen, Gregory C.',
        '--publisher',
        '财新',
        '--published-on',
        '2024-03-05',
        '--abstract',
        'Line one.\nLine two.',
        '--json',
      ],
      { encoding: 'utf8' },
    ),
  );
  execFileSync(cli, ['--workspace', workspace, 'source', 'about', 'Huawei', '--id', String(added.id)]);
  execFileSync(cli, ['--workspace', workspace, 'compare', 'save', 'Huawei alone', '--firms', 'Huawei']);
  const cliFile = (name, ...args) => {
    execFileSync(cli, ['--workspace', workspace, 'export', 'citations', '--out', out(name), ...args]);
    return readFileSync(out(name), 'utf8');
  };

  /** Exports through the dialog of the button `testid` in `format`, into `file`; the line it ends with. */
  async function exportCitations(driver, testid, format, file) {
    writeFileSync(answer, `${out(file)}\n`);
    await (await byTestId(driver, testid)).click();
    const dialog = await byTestId(driver, `${testid}-dialog`);
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    await (await byTestId(driver, `${testid}-${format}`)).click();
    await driver.wait(async () => (await byTestId(driver, `${testid}-${format}`)).isSelected(), 5_000, `${format} chosen`);
    await saveScreenshot(driver, `citations-${file.replace(/\W+/g, '-')}-asking`);
    await (await byTestId(driver, `${testid}-save`)).click();
    const done = await byTestId(driver, `${testid}-done`);
    const said = (await done.getAttribute('textContent')).replace(/\s+/g, ' ').trim();
    await driver.sleep(200);
    await saveScreenshot(driver, `citations-${file.replace(/\W+/g, '-')}`);
    await (await byTestId(driver, `${testid}-close`)).click();
    await driver.wait(until.elementIsNotVisible(dialog), 10_000);
    return said;
  }

  await withApp(
    t,
    display.display,
    workspace,
    async (driver) => {
      await byTestId(driver, 'firm-row');
      // The Sources list as filtered: one source, as RIS.
      await (await byTestId(driver, 'nav-sources')).click();
      await typeInto(await byTestId(driver, 'source-filter'), '国产替代');
      await driver.wait(async () => (await (await byTestId(driver, 'source-total')).getText()) === '1 source', 10_000, 'the one match');
      assert.equal(await exportCitations(driver, 'export-citations', 'ris', 'filtered.ris'), `Wrote 1 source as RIS to ${out('filtered.ris')}`);

      // The ticked source, as CSL-JSON, from the bar of bulk actions.
      await (await byTestId(driver, 'tick-row')).click();
      await exportCitations(driver, 'bulk-export-citations', 'cslJson', 'ticked.json');

      // Huawei's profile: its sources, as BibTeX.
      await (await byTestId(driver, 'nav-firms')).click();
      await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Huawei"] td')), 10_000)).click();
      await driver.wait(until.elementTextContains(await byTestId(driver, 'firm-name'), 'Huawei'), 10_000);
      assert.match(await exportCitations(driver, 'export-citations', 'bibtex', 'huawei.bib'), /^Wrote \d+ sources as BibTeX to /);

      // Compare: what Huawei's cells cite, as CSL-JSON, chosen among the export's formats.
      await (await byTestId(driver, 'nav-compare')).click();
      await addComparedFirm(driver, '华为', 'Huawei');
      await driver.wait(async () => (await driver.findElements(By.css('[data-testid="compare-firm-header"]'))).length === 1, 10_000, 'Huawei compared');
      writeFileSync(answer, `${out('compare.json')}\n`);
      await (await byTestId(driver, 'compare-export-format')).findElement(By.css('option[value="cite:cslJson"]')).click();
      await (await byTestId(driver, 'compare-export-button')).click();
      const exported = await byTestId(driver, 'compare-exported');
      await driver.wait(until.elementTextContains(exported, 'CSL-JSON'), 20_000);
      assert.match((await exported.getText()).replace(/\s+/g, ' '), /^Exported \d+ sources the cells cite as CSL-JSON to .*compare\.json$/);
      await saveScreenshot(driver, 'citations-compare-exported');
    },
    { CHIPWATCH_TEST_DIALOG_ANSWER: answer },
  );

  const ris = readFileSync(out('filtered.ris'), 'utf8');
  assert.equal(ris, cliFile('cli-filtered.ris', '--format', 'ris', '--words', '国产替代'));
  assert.ok(ris.startsWith('TY  - RPRT\r\n'), ris);
  for (const line of [`TI  - ${title}`, 'AU  - 张三', 'AU  - Center for Security and Emerging Technology', 'AU  - Allen, Gregory C.', 'DA  - 2024/03/05/', 'AB  - Line one. Line two.']) {
    assert.ok(ris.includes(`${line}\r\n`), `${line} in\n${ris}`);
  }
  const ticked = JSON.parse(readFileSync(out('ticked.json'), 'utf8'));
  assert.deepEqual(ticked.map((item) => [item.title, item.author]), [
    [title, [{ literal: '张三' }, { literal: 'Center for Security and Emerging Technology' }, { family: 'Allen', given: 'Gregory C.' }]],
  ]);
  assert.equal(readFileSync(out('huawei.bib'), 'utf8'), cliFile('cli-huawei.bib', '--format', 'bibtex', '--firm', 'Huawei'));
  assert.ok(readFileSync(out('huawei.bib'), 'utf8').includes(`@techreport{src${added.id},`), 'the mention is among Huawei\'s sources');
  assert.equal(readFileSync(out('compare.json'), 'utf8'), cliFile('cli-compare.json', '--format', 'csl-json', '--comparison', 'Huawei alone'));
});
