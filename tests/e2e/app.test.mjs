// The real Chipwatch window: seeded workspace, firm list, Huawei's profile,
// and the error screen for a file that is not a workspace.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { appBinary, appPid, artifactsDir, By, byTestId, Key, repoRoot, saveScreenshot, startDisplay, until, webProcessOf, withApp as withAppOn } from './harness.mjs';

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
    // Read in one script: rows re-rendered between two WebDriver calls would be stale.
    const names = () =>
      driver.executeScript(() => [...document.querySelectorAll('[data-testid="chip-row"] [data-testid="chip-name"]')].map((e) => e.textContent.trim()));
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
    // Read in one script: the entries are replaced while a new page arrives.
    const kinds = () => driver.executeScript(() => [...document.querySelectorAll('[data-testid="timeline-entry"]')].map((e) => e.dataset.kind));
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
    assert.ok(total > 230 && total < 300, `more than two pages of 100, less than three: ${total}`);
    const shown = async () => (await driver.findElements(By.css('[data-testid="timeline-entry"]'))).length;
    assert.equal(await shown(), 100, 'one page in the window');
    // Read in one script: the pager is drawn anew with each page.
    const pager = () => driver.executeScript(() => document.querySelector('nav.pager')?.textContent ?? '');
    assert.match(await pager(), new RegExp(`1–100 of ${total}`));
    await (await byTestId(driver, 'next-page')).click();
    await driver.wait(async () => /101–200 of/.test(await pager()), 10_000, 'the second page');
    assert.equal(await shown(), 100);
    await (await byTestId(driver, 'next-page')).click();
    await driver.wait(async () => (await shown()) === total - 200, 10_000, 'the rest on the last page');
    // Back to 1995 from the year list: the page starts with it.
    await (await byTestId(driver, 'timeline-year')).findElement(By.css('option[value="1995"]')).click();
    // Read in one script, as the entries are drawn anew while the page loads.
    const firstDate = () => driver.executeScript(() => document.querySelector('[data-testid="timeline-entry"] .date')?.textContent.trim());
    await driver.wait(async () => (await firstDate()) === '1995', 10_000, 'the page starts in 1995');
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

/** The ISO published dates of the mentions rows shown, in order ('' for none). */
async function shownPublished(driver) {
  // Read in one script: the rows are replaced while a new page arrives.
  return driver.executeScript(
    'return [...document.querySelectorAll(\'[data-testid="mention-row"]\')].map((row) => row.dataset.published);',
  );
}

test('a firm\'s mentions are a sorted table, bulk "not about this firm" goes in one step, notes show snippets, and a long cited list pages', async (t) => {
  const workspace = join(scratch, 'mentions, 提及.db');
  execFileSync(cli, ['--workspace', workspace, 'init']);
  execFileSync(cli, ['--workspace', workspace, 'generate-sample', '--sources', '1500', '--notes', '0', '--append']);
  // 1,200 sources that an import found naming Huawei, and 130 more sources cited by one of its events.
  execFileSync('sqlite3', [
    workspace,
    `INSERT INTO source_firms (source_id, firm_id)
       SELECT id, (SELECT id FROM firms WHERE name = 'Huawei') FROM sources ORDER BY id DESC LIMIT 1200;
     INSERT OR IGNORE INTO event_sources (event_id, source_id)
       SELECT (SELECT e.id FROM events e JOIN event_firms ef ON ef.event_id = e.id
               JOIN firms f ON f.id = ef.firm_id WHERE f.name = 'Huawei' ORDER BY e.id LIMIT 1), id
       FROM sources ORDER BY id LIMIT 130;`,
  ]);
  execFileSync(cli, [
    '--workspace', workspace, 'note', 'add', '--title', 'Supply, "quoted" 供应链 🚀',
    '--body', '# 供应链 heading\n\nAfter the **2019** listing, [[SMIC]] kept making chips for [[Huawei]]\'s _HiSilicon_ unit — commas, "quotes", 🚀.',
  ]);

  await withApp(t, workspace, async (driver) => {
    await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Huawei"] td')), 10_000)).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'Huawei'), 10_000);

    // Mentioned in notes: the text around the link, rendered, the mention marked.
    // The profile may render again as it settles: read the snippet afresh until it is there.
    const { snippetText, marked } = await driver.wait(
      () =>
        driver.executeScript(`
          const note = [...document.querySelectorAll('[data-testid="note-mention"]')]
            .find((n) => n.querySelector('[data-testid="backlink"]')?.textContent === 'Supply, "quoted" 供应链 🚀');
          const snippet = note?.querySelector('[data-testid="note-snippet"]');
          return snippet ? { snippetText: snippet.textContent, marked: snippet.querySelector('mark')?.textContent } : null;`),
      10_000,
      'the note snippet',
    );
    assert.match(snippetText, /供应链 heading After the 2019 listing, SMIC kept making chips for Huawei's HiSilicon unit/);
    assert.doesNotMatch(snippetText, /\[\[|\]\]|\*\*|#/, 'no Markdown shows');
    assert.equal(marked, 'Huawei');
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', await driver.findElement(By.id('profile-notes')));
    await driver.sleep(300);
    await saveScreenshot(driver, 'profile-notes-snippets');

    // The cited sources: one page of 50, numbered as in the whole list, with a pager.
    const cited = await byTestId(driver, 'cited-sources');
    assert.equal((await cited.findElements(By.css('[data-testid="cited-source"]'))).length, 50);
    const pager = await driver.findElement(By.css('#profile-sources nav.pager'));
    assert.match(await pager.getAttribute('textContent'), /1–50 of 1[3-9]\d/);
    await (await pager.findElement(By.css('[data-testid="next-page"]'))).click();
    await driver.wait(async () => /^51\./.test((await (await cited.findElement(By.css('.number'))).getAttribute('textContent')).trim()), 10_000, 'page 2 starts at 51');
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', await driver.findElement(By.id('profile-sources')));
    await driver.sleep(300);
    await saveScreenshot(driver, 'profile-cited-sources-paged');
    // A marker for a source on another page turns the list to it, and it is shown highlighted.
    await (await pager.findElement(By.xpath('.//button[contains(., "Previous")]'))).click();
    const marker = await driver.findElement(By.xpath('//*[@id="profile-timeline"]//button[contains(@class, "marker") and normalize-space()="[120]"]'));
    await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', marker);
    await marker.click();
    await driver.wait(async () => {
      const entry = await driver.findElements(By.css('[data-testid="cited-source"].highlighted'));
      return entry.length === 1 && /^120\./.test((await (await entry[0].findElement(By.css('.number'))).getAttribute('textContent')).trim());
    }, 10_000, 'source 120 shown, on page 3');

    // Mentions: a table of 50 of 1,200, newest published first; a click on Published turns it round.
    const table = await byTestId(driver, 'firm-mentions');
    await driver.wait(async () => (await table.findElements(By.css('[data-testid="mention-row"]'))).length === 50, 10_000);
    assert.match(await (await byTestId(driver, 'jump-mentions')).getAttribute('textContent'), /Mentioned in sources\s*1,?200/);
    const newestFirst = await shownPublished(driver);
    const dated = newestFirst.filter((d) => d !== '');
    assert.deepEqual(dated, [...dated].sort().reverse(), `newest first: ${newestFirst.join(' ')}`);
    await (await byTestId(driver, 'mentions-sort-published')).click();
    await driver.wait(async () => (await shownPublished(driver))[0] < newestFirst[0], 10_000, 'oldest first after the click');
    const oldestFirst = (await shownPublished(driver)).filter((d) => d !== '');
    assert.deepEqual(oldestFirst, [...oldestFirst].sort(), 'oldest first');
    await (await byTestId(driver, 'mentions-sort-published')).click();
    await driver.wait(async () => (await shownPublished(driver))[0] === newestFirst[0], 10_000, 'newest first again');

    // With the table focused, Down selects a row and Space ticks it; arrows elsewhere on the profile are left alone.
    await driver.executeScript('arguments[0].focus({ preventScroll: true })', table);
    for (const key of [Key.ARROW_DOWN, Key.ARROW_DOWN, Key.SPACE]) await driver.actions().sendKeys(key).perform();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'mentions-selected'), '1 selected'), 10_000, 'Space ticks the selected row');
    const secondRow = (await table.findElements(By.css('[data-testid="mention-row"]')))[1];
    assert.equal(await secondRow.getAttribute('aria-selected'), 'true', 'the second row is the one ticked');
    await driver.actions().sendKeys(Key.SPACE).perform();
    await driver.wait(async () => (await driver.findElements(By.css('[data-testid="mentions-selected"]'))).length === 0, 10_000, 'Space again unticks it');

    // Three ticked, removed together after a confirmation that counts them.
    const ticks = await table.findElements(By.css('[data-testid="mention-tick"]'));
    const rows = await table.findElements(By.css('[data-testid="mention-row"]'));
    const picked = await Promise.all(rows.slice(0, 3).map((row) => row.getAttribute('data-source-id')));
    for (const tick of ticks.slice(0, 3)) await tick.click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'mentions-selected'), '3 selected'), 10_000);
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', await byTestId(driver, 'mentions-bulk'));
    await driver.sleep(300);
    await saveScreenshot(driver, 'profile-mentions-table');
    await (await byTestId(driver, 'mentions-remove')).click();
    const confirm = await byTestId(driver, 'mentions-confirm');
    await driver.wait(until.elementIsVisible(confirm), 10_000);
    assert.match(await confirm.getAttribute('textContent'), /Remove 3 mentions of Huawei\?/);
    await (await byTestId(driver, 'mentions-confirm-confirm')).click();
    await driver.wait(async () => /Mentioned in sources\s*1,?197/.test(await (await byTestId(driver, 'jump-mentions')).getAttribute('textContent')), 10_000, '1,197 left');
    const left = await driver.executeScript('return [...document.querySelectorAll(\'[data-testid="mention-row"]\')].map((row) => row.dataset.sourceId);');
    assert.ok(picked.every((id) => !left.includes(id)), 'the three are gone');

    // The whole set, across pages: tick the page, then "Select all".
    await (await byTestId(driver, 'mentions-tick-page')).click();
    await (await byTestId(driver, 'mentions-select-all')).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'mentions-selected'), '1,197 selected'), 10_000);
    await saveScreenshot(driver, 'profile-mentions-all-selected');
    await (await byTestId(driver, 'mentions-remove')).click();
    await driver.wait(until.elementIsVisible(await byTestId(driver, 'mentions-confirm')), 10_000);
    assert.match(await (await byTestId(driver, 'mentions-confirm')).getAttribute('textContent'), /Remove 1,197 mentions of Huawei\?/);
    await (await byTestId(driver, 'mentions-confirm-confirm')).click();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'mentions-done'), 'Removed 1,197 mentions'), 10_000);
    assert.equal((await driver.findElements(By.css('[data-testid="mention-row"]'))).length, 0);
    assert.equal((await driver.findElements(By.css('[data-testid="jump-mentions"]'))).length, 0, 'no jump link to an empty section');
  });
  const count = execFileSync('sqlite3', [workspace, "SELECT count(*) FROM source_firms WHERE firm_id = (SELECT id FROM firms WHERE name = 'Huawei')"]);
  assert.equal(String(count).trim(), '0');
});

test('a page whose web process crashes comes back by itself, as it was shown, and says it was reloaded', async (t) => {
  const workspace = join(scratch, 'crash.db');
  await withApp(t, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    await driver.sleep(500);
    const noticeColour = await driver.executeScript(
      "return getComputedStyle(document.documentElement).getPropertyValue('--tone-warning-bg').trim()",
    );
    const sidebarWidth = Math.floor(
      await driver.executeScript("return document.querySelector('aside.sidebar').getBoundingClientRect().right"),
    );
    // Read from the X display: WebDriver's session does not follow the page into a new web process.
    const before = join(artifactsDir, 'before-crash.png');
    captureDisplay(before);
    // The colour is also the "Listed" badges'.
    const colouredBefore = pixelsOfColour(before, noticeColour);
    const crashed = webProcessOf(appPid(workspace));
    assert.ok(crashed, 'the app has a web process');
    process.kill(crashed, 'SIGKILL');
    await driver.wait(async () => (webProcessOf(appPid(workspace)) ?? crashed) !== crashed, 20_000, 'a new web process');
    const after = join(artifactsDir, 'after-crash.png');
    // The sidebar as before (text may be drawn a shade apart after a reload;
    // a blank window differs in most of its pixels), and the notice drawn
    // above the screen, a band of its colour of at least 500 × 40 pixels more.
    const strip = `${sidebarWidth}x800+0+0`;
    const mostDiffering = 0.01 * sidebarWidth * 800;
    let differing = NaN;
    let notice = 0;
    await driver
      .wait(async () => {
        captureDisplay(after);
        differing = differingPixels(before, after, strip);
        notice = pixelsOfColour(after, noticeColour);
        return differing < mostDiffering && notice > colouredBefore + 500 * 40;
      }, 20_000)
      .catch((error) => {
        error.message += `\nafter the crash the sidebar differs from before in ${differing} pixels and the notice's colour covers ${notice} (${colouredBefore} before): ${after}`;
        throw error;
      });
  });
});

/** Saves what the test display shows as a PNG. */
function captureDisplay(file) {
  mkdirSync(dirname(file), { recursive: true });
  execFileSync('import', ['-display', display.display, '-window', 'root', file]);
}

/** How many pixels of `region` (WxH+X+Y) differ by more than 10% between two PNGs, as ImageMagick's `compare` counts them. */
function differingPixels(a, b, region) {
  const crop = (file) => `${file}[${region}]`;
  return Number.parseFloat(spawnSync('compare', ['-fuzz', '10%', '-metric', 'AE', crop(a), crop(b), 'null:'], { encoding: 'utf8' }).stderr);
}

/** How many pixels of a PNG are `colour` (a CSS hex colour), within 2%. */
function pixelsOfColour(file, colour) {
  const mean = execFileSync(
    'convert',
    [file, '-fuzz', '2%', '-fill', 'black', '+opaque', colour, '-fill', 'white', '-opaque', colour, '-format', '%[fx:mean*w*h]', 'info:'],
    { encoding: 'utf8' },
  );
  return Math.round(Number.parseFloat(mean));
}
