// The real Chipwatch window: seeded workspace, firm list, Huawei's profile,
// and the error screen for a file that is not a workspace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { appBinary, By, byTestId, repoRoot, saveScreenshot, startDisplay, until, withApp as withAppOn } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');

let display;
let scratch;

before(async () => {
  assert.ok(existsSync(appBinary), `build the app first (make app): ${appBinary} is missing`);
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function withApp(t, workspace, body) {
  return withAppOn(t, display.display, workspace, body);
}

test('a new workspace opens seeded; Huawei shows the Ascend 910B', async (t) => {
  const workspace = join(scratch, '新的 workspace.db');
  await withApp(t, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    const rows = await driver.findElements(By.css('[data-testid="firm-row"]'));
    const names = await Promise.all(rows.map((row) => row.getAttribute('data-firm-name')));
    for (const firm of ['Huawei', 'Alibaba', 'Baidu', 'Tencent', 'SMIC', 'NVIDIA']) {
      assert.ok(names.includes(firm), `${firm} missing from the firm list: ${names.join(', ')}`);
    }
    const huawei = await driver.findElement(By.css('[data-testid="firm-row"][data-firm-name="Huawei"]'));
    assert.match(await huawei.getText(), /华为/, 'the native name is shown');
    await saveScreenshot(driver, 'firms');

    // WebKitWebDriver cannot click a <tr> itself; click its first cell, as a user would.
    await huawei.findElement(By.css('td')).click();
    await byTestId(driver, 'firm-profile');
    const title = await byTestId(driver, 'firm-name');
    await driver.wait(until.elementTextContains(title, 'Huawei'), 10_000);
    await byTestId(driver, 'chip-name');
    const chipNames = await Promise.all(
      (await driver.findElements(By.css('[data-testid="chip-row"] [data-testid="chip-name"]'))).map((e) => e.getText()),
    );
    assert.ok(chipNames.includes('Ascend 910B'), `chips shown: ${chipNames.join(', ')}`);
    await saveScreenshot(driver, 'huawei-profile');
  });
  assert.ok(existsSync(workspace), 'the workspace file was created');
});

test('the firm filter finds Chinese names and says when nothing matches', async (t) => {
  await withApp(t, join(scratch, 'filter.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    const filter = await byTestId(driver, 'firm-filter');
    await filter.sendKeys('华为');
    await driver.wait(async () => (await driver.findElements(By.css('[data-testid="firm-row"]'))).length === 1, 10_000);
    const only = await driver.findElement(By.css('[data-testid="firm-row"]'));
    assert.equal(await only.getAttribute('data-firm-name'), 'Huawei');
    await filter.clear();
    await filter.sendKeys('no such firm 🚀');
    await byTestId(driver, 'firm-filter-empty');
  });
});

test('a file that is not a workspace gets an error screen naming it, and is left unchanged', async (t) => {
  const notAWorkspace = join(scratch, 'sources.csv');
  writeFileSync(notAWorkspace, 'title,作者\n"Chinese tech firms adapt, again",🚀\n');
  const before = createHash('sha256').update(readFileSync(notAWorkspace)).digest('hex');
  await withApp(t, notAWorkspace, async (driver) => {
    const screen = await byTestId(driver, 'workspace-error');
    await driver.wait(until.elementTextContains(screen, notAWorkspace), 10_000);
    await saveScreenshot(driver, 'workspace-error');
  });
  const after = createHash('sha256').update(readFileSync(notAWorkspace)).digest('hex');
  assert.equal(after, before, 'the file must not be modified');
});

test('a folder given as the workspace gets the error screen naming it', async (t) => {
  await withApp(t, scratch, async (driver) => {
    const screen = await byTestId(driver, 'workspace-error');
    await driver.wait(until.elementTextContains(screen, `${scratch} is a folder`), 10_000);
  });
});

test('the Chips list sorts by TPP, highest first, and by name', async (t) => {
  await withApp(t, join(scratch, 'chips.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-chips')).click();
    await byTestId(driver, 'chip-row');
    const names = async () =>
      Promise.all((await driver.findElements(By.css('[data-testid="chip-row"] [data-testid="chip-name"]'))).map((e) => e.getText()));
    const order = await byTestId(driver, 'chip-order');
    await (await order.findElement(By.css('option[value="tpp"]'))).click();
    // Biren's BR100 (16,384) is above NVIDIA's H100 and H800 (15,832 each).
    await driver.wait(async () => (await names())[0] === 'BR100', 10_000, 'BR100 has the highest TPP of the seeded chips');
    const byTpp = await names();
    assert.equal(byTpp.length, 17);
    assert.deepEqual(byTpp.slice(1, 3).sort(), ['H100', 'H800']);
    await saveScreenshot(driver, 'chips-by-tpp');
    await (await order.findElement(By.css('option[value="name"]'))).click();
    await driver.wait(async () => (await names())[0] === 'A100', 10_000, 'by name, A100 first');
  });
});

test('"?" lists the keyboard shortcuts, except while typing in a field', async (t) => {
  await withApp(t, join(scratch, 'shortcuts.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    // Typed into the filter, "?" is text.
    const filter = await byTestId(driver, 'firm-filter');
    await filter.sendKeys('?');
    assert.equal(await filter.getAttribute('value'), '?');
    assert.equal(await (await byTestId(driver, 'shortcuts-dialog')).isDisplayed(), false);

    await driver.executeScript('document.activeElement.blur()');
    await driver.actions().sendKeys('?').perform();
    const dialog = await byTestId(driver, 'shortcuts-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    assert.match(await dialog.getText(), /Keyboard shortcuts[\s\S]*Ctrl\s*\+\s*K[\s\S]*Search everything/);
    await saveScreenshot(driver, 'shortcuts');
    await driver.actions().sendKeys('\uE00C').perform(); // Escape
    await driver.wait(until.elementIsNotVisible(dialog), 10_000);
  });
});

test('the Timeline says what its entries are, hides a kind on a click, and the sidebar names the workspace file', async (t) => {
  const workspace = join(scratch, 'a folder with a long name 研究资料', 'timeline workspace.db');
  mkdirSync(dirname(workspace), { recursive: true });
  await withApp(t, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    const file = await byTestId(driver, 'workspace-file');
    // Read as the DOM holds it: WebDriver reads no text from a box that clips its overflow.
    assert.equal(await file.getAttribute('textContent'), 'timeline workspace.db');
    assert.ok(await file.isDisplayed());
    assert.equal(await file.getAttribute('title'), workspace, 'the full path on hover');

    await (await byTestId(driver, 'nav-timeline')).click();
    const count = await byTestId(driver, 'timeline-count');
    // The seeded workspace has 14 events (as the sidebar counts them), besides chips and listings.
    assert.match(await count.getText(), /^\d+ entries: 14 events, \d+ chip announcements?(, \d+ listings?)?$/);
    const kinds = async () => Promise.all((await driver.findElements(By.css('[data-testid="timeline-entry"]'))).map((e) => e.getAttribute('data-kind')));
    assert.ok((await kinds()).includes('regulation'));
    const regulation = await byTestId(driver, 'timeline-kind-regulation');
    assert.equal(await regulation.getAttribute('aria-pressed'), 'true', 'every kind starts shown');
    await regulation.click();
    await driver.wait(async () => !(await kinds()).includes('regulation'), 10_000, 'rule changes hidden');
    assert.equal(await regulation.getAttribute('aria-pressed'), 'false');
    assert.ok((await kinds()).includes('launch'), 'the other kinds stay');
    await saveScreenshot(driver, 'timeline-kind-hidden');
  });
});

test('a long Timeline comes a page at a time, and jumps to a year', async (t) => {
  const workspace = join(scratch, 'long timeline.db');
  execFileSync(cli, ['--workspace', workspace, 'init']);
  // 230 more events, ten a year from 1990, beside the seeded ones.
  for (let n = 0; n < 230; n++) {
    execFileSync(cli, ['--workspace', workspace, 'event', 'add', '--date', String(1990 + Math.floor(n / 10)), '--title', `Deal ${n} 协议`, '--kind', 'deal']);
  }
  await withApp(t, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-timeline')).click();
    const count = await byTestId(driver, 'timeline-count');
    await driver.wait(async () => /^\d+ entries: \d+ events/.test(await count.getText()), 10_000, 'every entry counted');
    const total = Number((await count.getText()).match(/^(\d+)/)[1]);
    assert.ok(total > 230 && total < 400, `more than a page, less than two: ${total}`);
    const shown = async () => (await driver.findElements(By.css('[data-testid="timeline-entry"]'))).length;
    assert.equal(await shown(), 200, 'one page in the window');
    const pager = await driver.findElement(By.css('nav.pager'));
    assert.match(await pager.getText(), new RegExp(`1–200 of ${total}`));
    await (await byTestId(driver, 'next-page')).click();
    await driver.wait(async () => (await shown()) === total - 200, 10_000, 'the rest on the next page');
    // Back to 1995 from the year list: the page starts with it.
    await (await byTestId(driver, 'timeline-year')).findElement(By.css('option[value="1995"]')).click();
    await driver.wait(async () => {
      const first = (await driver.findElements(By.css('[data-testid="timeline-entry"] .date')))[0];
      return first && (await first.getText()) === '1995';
    }, 10_000, 'the page starts in 1995');
    await saveScreenshot(driver, 'timeline-paged');
  });
});

test('the Sources list has a key to its grade badges', async (t) => {
  await withApp(t, join(scratch, 'grades.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-sources')).click();
    const key = await byTestId(driver, 'grade-key');
    assert.equal(await key.getAttribute('open'), null, 'folded at first');
    await (await key.findElement(By.css('summary'))).click();
    await driver.wait(async () => /B\s+usually reliable/.test(await key.getText()), 10_000, 'the key unfolds');
    assert.match(await key.getText(), /6\s+truth cannot be judged/);
    await driver.executeScript('arguments[0].scrollIntoView()', key);
    await saveScreenshot(driver, 'sources-grade-key');
  });
});
