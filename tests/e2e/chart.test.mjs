// The chip chart on the Chips page: one point per chip with a TPP and a
// density, the 3A090 regions labelled, a tooltip on hover, a click that opens
// the chip, and "Save SVG…" / "Save PNG…" through the test dialog answer file
// (CHIPWATCH_TEST_DIALOG_ANSWER, see src-tauri/src/lib.rs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifactsDir, By, byTestId, saveScreenshot, startDisplay, until, withApp } from './harness.mjs';

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-chart-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The seeded chips with a die area (so a density): the others are left out. */
const SEEDED_PLOTTED = ['Ascend 310', 'Ascend 910', 'Kunlun I', 'Kunlun K200', 'BR100', 'A100', 'A800', 'H100', 'H800'];
/** Their firms, and as the legend names them (sorted by name). */
const SEEDED_PLOTTED_FIRMS = ['Biren', 'Huawei', 'Kunlunxin', 'NVIDIA'];
const SEEDED_LEGEND = ['Biren 壁仞科技', 'Huawei 华为', 'Kunlunxin 昆仑芯', 'NVIDIA 英伟达'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function openChart(driver) {
  await byTestId(driver, 'firm-row');
  await (await byTestId(driver, 'nav-chips')).click();
  await byTestId(driver, 'chip-row');
  await (await byTestId(driver, 'chips-show-chart')).click();
  const chart = await byTestId(driver, 'chip-chart');
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="chart-point"]'))).length > 0, 20_000, 'the chart draws its points');
  return chart;
}

async function pointNames(driver) {
  return driver.executeScript(
    `return [...document.querySelectorAll('[data-testid="chart-point"]')].map((p) => p.getAttribute('aria-label').split(',')[0]);`,
  );
}

/** Clicks a save button with the dialog answered by `path`, and waits for "Saved". */
async function saveThrough(driver, answerFile, button, path) {
  writeFileSync(answerFile, `${path}\n`);
  await (await byTestId(driver, button)).click();
  const status = await byTestId(driver, 'chart-status');
  await driver.wait(until.elementTextContains(status, 'Saved'), 20_000, `${button} reports the file saved`);
  assert.match(await status.getText(), new RegExp(path.split('/').pop().replace(/[.()]/g, '\\$&')));
}

test('the chip chart plots each chip with figures against the 3A090 lines, shows a tooltip and saves SVG and PNG', async (t) => {
  const answer = join(scratch, 'dialog-answer.txt');
  writeFileSync(answer, '\n');
  const svgPath = join(scratch, '芯片 chart, "3A090".svg');
  const pngPath = join(scratch, '芯片 chart.png');
  await withApp(t, display.display, join(scratch, 'seeded.db'), async (driver) => {
    const chart = await openChart(driver);

    // One point per plottable chip; the eight without a die area are named as left out.
    assert.equal(await chart.getAttribute('data-point-count'), String(SEEDED_PLOTTED.length));
    assert.deepEqual((await pointNames(driver)).sort(), [...SEEDED_PLOTTED].sort());
    const leftOut = await byTestId(driver, 'chart-left-out');
    assert.match(await leftOut.getText(), /^8 chips without die area are not plotted: .*H20/);

    // The regions are labelled, and the legend names the firms with their Chinese names.
    const labels = await driver.executeScript(
      `return [...document.querySelectorAll('[data-testid="chip-chart"] svg text')].map((t) => t.textContent);`,
    );
    assert.ok(labels.includes('3A090.a'), `3A090.a is labelled: ${labels}`);
    assert.ok(labels.includes('3A090.b'), `3A090.b is labelled: ${labels}`);
    // Every tick of the TPP axis has its number, the 4,800 line's too, across three decades.
    const xTicks = await driver.executeScript(
      `return [...document.querySelectorAll('[data-testid="chip-chart"] [aria-label="x-axis tick label"] text')].map((t) => t.textContent);`,
    );
    for (const tick of ['100', '500', '1,600', '2,400', '4,800', '10,000']) assert.ok(xTicks.includes(tick), `the x axis labels ${tick}: ${xTicks}`);
    const legend = await driver.executeScript(
      `return [...document.querySelectorAll('[data-testid="chart-legend-item"]')].map((item) => item.textContent.trim());`,
    );
    assert.deepEqual(legend, SEEDED_LEGEND);

    // Hovering a point shows its name and figures.
    const h100 = await driver.findElement(By.css('[data-testid="chart-point"][aria-label^="H100,"]'));
    await driver.actions().move({ origin: h100 }).perform();
    const tooltip = await byTestId(driver, 'chart-tooltip');
    await driver.wait(until.elementTextContains(tooltip, 'H100'), 10_000);
    const tip = await tooltip.getText();
    for (const part of ['NVIDIA 英伟达', '15,832', '19.45 per mm²', '8-bit', '3A090.a.1, 3A090.a.2']) {
      assert.ok(tip.includes(part), `the tooltip shows ${part}: ${tip}`);
    }
    await saveScreenshot(driver, 'chip-chart');

    // Save SVG…: a standalone SVG that parses, with the labels, the chips and the firms.
    await saveThrough(driver, answer, 'chart-save-svg', svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    const parsed = await driver.executeScript(
      `const doc = new DOMParser().parseFromString(arguments[0], 'image/svg+xml');
       return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.localName,
                width: doc.documentElement.getAttribute('width') };`,
      svg,
    );
    assert.deepEqual(parsed, { error: null, root: 'svg', width: '960' });
    for (const text of ['3A090.a', '3A090.b', ...SEEDED_PLOTTED, 'Huawei 华为', 'NVIDIA 英伟达', 'without die area']) {
      assert.ok(svg.includes(text), `the SVG contains ${text}`);
    }
    assert.ok(!svg.includes('tabindex') && !svg.includes('data-testid'), 'the file carries no app-only attributes');

    // Save PNG…: a PNG at twice the SVG's size.
    await saveThrough(driver, answer, 'chart-save-png', pngPath);
    const png = readFileSync(pngPath);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'the file starts with the PNG signature');
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 1920, 'the PNG is 2 × 960 pixels wide');
    assert.ok(png.readUInt32BE(20) > 1000, `the PNG is tall enough for chart, legend and caption: ${png.readUInt32BE(20)}`);
    const size = statSync(pngPath).size;
    assert.ok(size > 30_000 && size < 5_000_000, `a plausible PNG size: ${size} bytes`);
    // Kept beside the screenshots, to look at.
    mkdirSync(artifactsDir, { recursive: true });
    copyFileSync(pngPath, join(artifactsDir, 'chip-chart-export.png'));
    copyFileSync(svgPath, join(artifactsDir, 'chip-chart-export.svg'));

    // Clicking a point opens the chip.
    await driver.actions().move({ origin: h100 }).click().perform();
    const name = await byTestId(driver, 'chip-name-input');
    await driver.wait(async () => (await name.getAttribute('value')) === 'H100', 10_000, 'the chip form opens on H100');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

/**
 * Rows for a workspace with many firms and long and Chinese chip names (plain SQL, before the app opens it):
 * firms the default dataset lacks, and chips with a die area for seeded firms that have none plotted.
 */
function crowdedRows() {
  const firms = [
    ['Enflame', '燧原科技'], ['Iluvatar CoreX', '天数智芯'], ['MetaX', '沐曦'], ['AMD', null, 'US'], ['Intel', '英特尔', 'US'],
  ];
  const now = '2025-01-01T00:00:00Z';
  const sql = ['BEGIN;'];
  for (const [name, native, country = 'CN'] of firms) {
    sql.push(`INSERT INTO firms (name, native_name, kind, country, created_at, updated_at) VALUES ('${name}', ${native ? `'${native}'` : 'NULL'}, 'company', '${country}', '${now}', '${now}');`);
  }
  const chips = [
    ['Cambricon', '思元 590 (MLU590) 训练加速卡', 314, 16, 800],
    ['Cambricon', 'MLU370-X8 dual-chip inference and training card', 96, 16, 450],
    ['Biren', 'BR100 general-purpose GPU, 7 nm chiplet', 1024, 8, 1074],
    ['Biren', 'BR104', 512, 8, 537],
    ['Moore Threads', 'MTT S3000', 100, 16, 600],
    ['Enflame', '邃思 2.5 (Enflame CloudBlazer T20)', 160, 16, 570],
    ['Iluvatar CoreX', '天垓 100', 147, 16, 470],
    ['MetaX', '曦云 C500', 280, 16, 600],
    ['Hygon', 'DCU Z100 (深算一号)', 185, 16, 700],
    ['AMD', 'Instinct MI300X accelerator with a very long marketing name indeed', 1307, 16, 1017],
    ['AMD', 'Instinct MI250X', 383, 16, 724],
    ['Intel', 'Gaudi 3', 1835, 8, 1000],
    ['Intel', 'Gaudi 2', 865, 8, 850],
  ];
  for (const [firm, name, tops, bits, area] of chips) {
    sql.push(`INSERT INTO chips (firm_id, name, peak_dense_tops, peak_bit_width, die_area_mm2) VALUES ((SELECT id FROM firms WHERE name = '${firm}'), '${name.replaceAll("'", "''")}', ${tops}, ${bits}, ${area});`);
  }
  sql.push('COMMIT;');
  const legend = new Set([...SEEDED_PLOTTED_FIRMS, ...chips.map(([firm]) => firm)]);
  return { sql: sql.join('\n'), chips: chips.length, legend: legend.size };
}

test('a crowded chart with twelve firms and long Chinese and English names stays readable', async (t) => {
  if (spawnSync('sqlite3', ['--version']).status !== 0) {
    t.skip('needs the sqlite3 command to add rows to the workspace');
    return;
  }
  const workspace = join(scratch, 'crowded.db');
  // The first start creates and seeds the workspace; the rows are added while the app is closed.
  await withApp(t, display.display, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
  });
  const rows = crowdedRows();
  const added = spawnSync('sqlite3', [workspace], { input: rows.sql, encoding: 'utf8' });
  assert.equal(added.status, 0, added.stderr);

  await withApp(t, display.display, workspace, async (driver) => {
    const chart = await openChart(driver);
    const expected = SEEDED_PLOTTED.length + rows.chips;
    await driver.wait(async () => (await chart.getAttribute('data-point-count')) === String(expected), 10_000);
    assert.equal((await driver.findElements(By.css('[data-testid="chart-point"]'))).length, expected);
    const legend = await driver.findElements(By.css('[data-testid="chart-legend-item"]'));
    assert.equal(rows.legend, 12);
    assert.equal(legend.length, rows.legend, 'twelve firms in the legend');
    const colours = await driver.executeScript(
      `return [...document.querySelectorAll('[data-testid="chart-legend-item"] span:first-child')].map((s) => getComputedStyle(s).backgroundColor);`,
    );
    assert.equal(new Set(colours).size, colours.length, `each firm its own colour: ${colours}`);

    const long = await driver.findElement(By.css('[data-testid="chart-point"][aria-label^="思元 590"]'));
    await driver.actions().move({ origin: long }).perform();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'chart-tooltip'), '思元 590 (MLU590) 训练加速卡'), 10_000);
    await saveScreenshot(driver, 'chip-chart-crowded');

    // The filter applies to the chart too.
    const filter = await byTestId(driver, 'chip-filter');
    await filter.sendKeys('Intel');
    await driver.wait(async () => (await chart.getAttribute('data-point-count')) === '2', 10_000, 'the filter leaves the two Intel chips');
  });
});
