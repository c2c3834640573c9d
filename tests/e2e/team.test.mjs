// Records' History, and team workspaces through the real window: Share from
// the workspace menu (a refused login first), the sidebar's sync status, a
// field changed on two replicas settled on the Conflicts page, a refused
// login asking for the password, and a server that is down. The server is a
// throwaway PostgreSQL cluster (postgres.mjs); the second replica is made and
// edited with the CLI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By, byTestId, Key, repoRoot, saveScreenshot, startDisplay, typeInto, until, withApp } from './harness.mjs';
import { randomPassword, startCluster } from './postgres.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');
const TEAM = '出口管制 Export controls — semiconductor desk';
const BAIDU_MINE = 'Kunlun 昆仑芯 II chips, 7nm.';
const BAIDU_THEIRS = 'Kunlun chips, made at TSMC until 2024.';
const BAIDU_MERGED = 'Kunlun 昆仑芯 II chips, 7nm, made at TSMC until 2024 ("merged").';
const MINE = 'Designs the Kirin and Ascend chips (edited in the app).';
const THEIRS =
  'Huawei’s chip design arm (海思半导体). Bob’s longer account, to show how a long value is clamped on the Conflicts page: ' +
  'it designs the Kirin phone processors and the Ascend AI accelerators, fabricated first at TSMC and, since the 2020 ' +
  'foreign direct product rule, at SMIC. 第二段：海思的设计能力与代工限制。';

// The app and the CLI get a password only where a step gives one.
delete process.env.PGPASSWORD;

let display;
let scratch;
let cluster;
let noPassfile;
const passwords = { alice: randomPassword(), bob: randomPassword(), carol: randomPassword() };

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-team-'));
  noPassfile = join(scratch, 'no-pgpass');
  cluster = await startCluster();
  // As README's "Set up the server": the schema, then one login per analyst.
  execFileSync(cli, ['--workspace', join(scratch, 'admin.db'), 'team', 'upgrade', '--server', cluster.superuserUrl], { encoding: 'utf8' });
  for (const [login, password] of Object.entries(passwords)) {
    cluster.psql(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE chipwatch_user`);
  }
});

after(async () => {
  cluster?.stop();
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The CLI on `workspace`, logged in with `password` (PGPASSWORD), never ~/.pgpass. */
function runCli(workspace, args, password) {
  return execFileSync(cli, ['--workspace', workspace, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSFILE: noPassfile, PGPASSWORD: password },
  });
}

async function openMenu(driver) {
  await (await byTestId(driver, 'workspace-menu-button')).click();
  return byTestId(driver, 'workspace-menu');
}

/** Text with its runs of white space made one space, as it reads. */
function shownText(text) {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the element with `testId` holds `expected` (a string it contains, or a pattern). */
async function waitForText(driver, testId, expected) {
  const matches = (text) => (expected instanceof RegExp ? expected.test(text) : text.includes(expected));
  let last = '';
  await driver.wait(
    async () => {
      const found = await driver.findElements(By.css(`[data-testid="${testId}"]`));
      // The text as the DOM holds it: WebDriver reads nothing from a line-clamped box.
      last = found.length > 0 ? shownText(await found[0].getAttribute('textContent').catch(() => '')) : '(none)';
      return matches(last);
    },
    20_000,
  ).catch((error) => {
    // A WebDriver error (not a timeout) is named again here, where a shortened log still shows it.
    const cause = error.name === 'TimeoutError' ? '' : ` (WebDriver answered ${error.name}: ${error.message.split('\n')[0]})`;
    error.message += `\n[data-testid="${testId}"] shows: ${last}${cause}`;
    throw error;
  });
}

/** Waits until `element` shows `expected`; on a timeout the error says what it showed. */
async function waitForElementText(driver, element, expected) {
  let last = '';
  await driver.wait(async () => {
    last = await element.getText().catch((error) => `(${error.name})`);
    return last.includes(expected);
  }, 20_000).catch((error) => {
    error.message += `\nthe element shows: ${last}`;
    throw error;
  });
}

async function openFirmForm(driver, name) {
  await (await byTestId(driver, 'nav-firms')).click();
  await (await driver.wait(until.elementLocated(By.css(`[data-testid="firm-row"][data-firm-name="${name}"] td`)), 10_000)).click();
  await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), name), 10_000);
  await (await byTestId(driver, 'edit-firm')).click();
  return byTestId(driver, 'firm-form');
}

async function saveSummary(driver, name, summary) {
  await openFirmForm(driver, name);
  await typeInto(await byTestId(driver, 'firm-summary-input'), summary);
  await (await byTestId(driver, 'form-save')).click();
  await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), name), 10_000);
}

test('a firm’s summary edited in its form shows in its History as old → new', async (t) => {
  await withApp(t, display.display, join(scratch, 'history.db'), async (driver) => {
    const summary = 'Huawei’s chip design unit (海思), edited for the History test.';
    await saveSummary(driver, 'HiSilicon', summary);
    assert.equal((await driver.findElements(By.css('[data-testid="team-status"]'))).length, 0, 'no team status outside a team workspace');
    assert.equal((await driver.findElements(By.css('[data-testid="nav-conflicts"]'))).length, 0, 'no Conflicts page outside a team workspace');

    await openFirmForm(driver, 'HiSilicon');
    await (await byTestId(driver, 'history-button')).click();
    const panel = await byTestId(driver, 'history-panel');
    await driver.wait(until.elementIsVisible(panel), 10_000);
    const newest = await byTestId(driver, 'history-entry');
    await driver.wait(until.elementTextContains(newest, 'Changed'), 10_000);
    const field = await newest.findElement(By.css('[data-testid="history-field"]'));
    assert.match(await field.getText(), /^Summary\s+Huawei's semiconductor design unit\. → Huawei’s chip design unit \(海思\), edited for the History test\.$/);
    assert.match(await newest.getText(), /^Changed \S+ \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/, 'what, who and when');
    assert.equal((await panel.findElements(By.css('[data-testid="not-pushed"]'))).length, 0, 'nothing waits outside a team workspace');
    await driver.sleep(300);
    await saveScreenshot(driver, 'history-panel');

    // Escape closes the panel, not the form.
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await driver.wait(until.elementIsNotVisible(panel), 10_000);
    assert.ok(await (await byTestId(driver, 'firm-form')).isDisplayed());
  });
});

test('a workspace shared from the menu syncs, and a field changed on two replicas is settled on the Conflicts page', async (t) => {
  const alice = join(scratch, 'alice.db');
  const bob = join(scratch, 'bob.db');
  await withApp(t, display.display, alice, async (driver) => {
    await byTestId(driver, 'firm-row');
    await openMenu(driver);
    await (await byTestId(driver, 'share-workspace')).click();
    const dialog = await byTestId(driver, 'share-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    const server = await byTestId(driver, 'team-server-input');
    await typeInto(server, cluster.url('alice'));
    await typeInto(await byTestId(driver, 'team-name-input'), TEAM);
    const password = await byTestId(driver, 'team-password-input');
    assert.equal(await password.getAttribute('type'), 'password');
    await typeInto(password, 'not-the-password');
    await driver.wait(until.elementTextContains(dialog, 'Password for alice'), 10_000);
    await saveScreenshot(driver, 'share-dialog');

    // A refused login is said in the dialog, and what was typed stays.
    await (await byTestId(driver, 'share-dialog-confirm')).click();
    await waitForText(driver, 'share-dialog-error', 'refused the login alice');
    assert.equal(await server.getAttribute('value'), cluster.url('alice'));
    assert.equal(await (await byTestId(driver, 'team-name-input')).getAttribute('value'), TEAM);
    await saveScreenshot(driver, 'share-dialog-refused');

    await typeInto(password, passwords.alice);
    await (await byTestId(driver, 'share-dialog-confirm')).click();
    await waitForText(driver, 'share-dialog-report', /^Shared: \d+ records pushed to the team workspace\.$/);
    await saveScreenshot(driver, 'share-dialog-done');
    await (await byTestId(driver, 'share-dialog-done')).click();
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await driver.wait(until.elementIsNotVisible(await byTestId(driver, 'workspace-menu')), 10_000);

    await waitForText(driver, 'team-name', TEAM);
    await waitForText(driver, 'team-waiting', '0 changes waiting');
    await waitForText(driver, 'team-last-sync', /^Last sync: (just now|\d+ min ago)$/);
    await waitForText(driver, 'team-conflicts', '0 conflicts');
    await openMenu(driver);
    assert.equal((await driver.findElements(By.css('[data-testid="share-workspace"]'))).length, 0, 'a replica is not shared again');
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await saveScreenshot(driver, 'sidebar-team-status');

    // Bob joins with the CLI and changes HiSilicon's summary first.
    runCli(alice, ['team', 'grant', 'bob', 'editor'], passwords.alice);
    runCli(bob, ['team', 'join', '--server', cluster.url('bob'), '--name', TEAM], passwords.bob);
    runCli(bob, ['firm', 'edit', 'HiSilicon', '--summary', THEIRS], passwords.bob);
    runCli(bob, ['sync'], passwords.bob);

    // Alice changes the same field here: it waits to be pushed.
    await saveSummary(driver, 'HiSilicon', MINE);
    await waitForText(driver, 'team-waiting', '1 change waiting');
    await openFirmForm(driver, 'HiSilicon');
    await (await byTestId(driver, 'history-button')).click();
    const newest = await byTestId(driver, 'history-entry');
    await waitForElementText(driver, newest, 'Designs the Kirin');
    const badge = await newest.findElement(By.css('[data-testid="not-pushed"]'));
    assert.ok(await badge.isDisplayed(), 'the change is marked as not pushed yet');
    assert.match(await newest.getText(), /^Changed alice /);
    await driver.sleep(300);
    await saveScreenshot(driver, 'history-panel-team');
    await (await byTestId(driver, 'history-close')).click();
    await (await byTestId(driver, 'form-cancel')).click();

    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'team-conflicts', '1 conflict');
    await waitForText(driver, 'nav-conflicts-count', '1');
    await saveScreenshot(driver, 'sidebar-team-conflict');

    await (await byTestId(driver, 'team-conflicts')).click();
    const row = await driver.wait(until.elementLocated(By.css('[data-testid="conflict-row"][data-state="open"]')), 10_000);
    assert.equal(await row.getAttribute('data-record'), 'HiSilicon');
    assert.equal(await (await row.findElement(By.css('[data-testid="conflict-mine"]'))).getText(), MINE);
    const theirs = await row.findElement(By.css('[data-testid="conflict-theirs"]'));
    // Clamped: WebDriver reads no text from a line-clamped box, so its content is read as the DOM holds it.
    assert.equal(await (await theirs.findElement(By.css('.value')).getAttribute('textContent')), THEIRS);
    assert.match(await theirs.getText(), /Show all\s+by bob$/, 'a long value is clamped, and says whose it is');
    await driver.sleep(300);
    await saveScreenshot(driver, 'conflicts-page');
    await (await theirs.findElement(By.css('button'))).click();
    await waitForElementText(driver, theirs, '第二段');
    await saveScreenshot(driver, 'conflicts-page-show-all');

    await (await row.findElement(By.css('[data-testid="keep-mine"]'))).click();
    const settled = await driver.wait(until.elementLocated(By.css('[data-testid="conflict-row"][data-state="mine"]')), 10_000);
    assert.match(await settled.getText(), /kept mine/);
    await waitForText(driver, 'team-conflicts', '0 conflicts');
    await waitForText(driver, 'team-waiting', '1 change waiting');
    await saveScreenshot(driver, 'conflicts-settled');

    // Keeping mine goes out with the next sync.
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'team-waiting', '0 changes waiting');
    await waitForText(driver, 'sync-report', /^Sent 1/);

    // Bob deletes Tencent while Alice edits it: her edit brings it back, and the Conflicts page says so.
    const tencent = JSON.parse(runCli(bob, ['firm', 'show', 'Tencent', '--json'], passwords.bob)).id;
    runCli(bob, ['delete', 'firm', String(tencent), '--yes'], passwords.bob);
    runCli(bob, ['sync'], passwords.bob);
    await saveSummary(driver, 'Tencent', 'Edited in the app while Bob deleted it.');
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'sync-report', '1 notice');
    await (await byTestId(driver, 'nav-conflicts')).click();
    const notice = await driver.wait(until.elementLocated(By.css('[data-testid="conflict-row"][data-state="notice"]')), 10_000);
    assert.equal(await notice.getAttribute('data-record'), 'Tencent');
    assert.match(await (await notice.findElement(By.css('[data-testid="conflict-notice"]'))).getAttribute('textContent'), /brought it back/);
    await driver.sleep(300);
    await saveScreenshot(driver, 'conflicts-notice');

    // The same field changed on both sides again, settled with an edited merge of the two.
    runCli(bob, ['firm', 'edit', 'Baidu', '--summary', BAIDU_THEIRS], passwords.bob);
    runCli(bob, ['sync'], passwords.bob);
    await saveSummary(driver, 'Baidu', BAIDU_MINE);
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'team-conflicts', '1 conflict');
    await (await byTestId(driver, 'team-conflicts')).click();
    const waiting = await driver.wait(until.elementLocated(By.css('[data-testid="conflict-row"][data-state="open"]')), 10_000);
    assert.equal(await waiting.getAttribute('data-record'), 'Baidu');
    await (await waiting.findElement(By.css('[data-testid="merge-open"]'))).click();
    const merge = await byTestId(driver, 'merge-dialog');
    await driver.wait(until.elementIsVisible(merge), 10_000);
    assert.equal(await (await byTestId(driver, 'merge-theirs')).getText(), BAIDU_THEIRS);
    const typed = await byTestId(driver, 'merge-input');
    assert.equal(await typed.getAttribute('value'), BAIDU_MINE, 'the merge starts from mine');
    await typeInto(typed, BAIDU_MERGED);
    await saveScreenshot(driver, 'conflicts-merge-dialog');
    await (await byTestId(driver, 'merge-keep')).click();
    await driver.wait(until.elementIsNotVisible(merge), 10_000);
    const merged = await driver.wait(until.elementLocated(By.css('[data-testid="conflict-row"][data-state="merged"]')), 10_000);
    assert.match(await merged.getText(), /merged by hand/);
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'team-waiting', '0 changes waiting');

    // History holds Bob's change as it came (a long value, clamped) and Alice's choice.
    await openFirmForm(driver, 'HiSilicon');
    await (await byTestId(driver, 'history-button')).click();
    const panel = await byTestId(driver, 'history-panel');
    await driver.wait(async () => (await panel.getAttribute('textContent')).includes('bob'), 10_000, 'Bob’s change is in the history');
    assert.equal((await panel.findElements(By.css('[data-testid="not-pushed"]'))).length, 0, 'everything is on the server');
    await driver.sleep(300);
    await saveScreenshot(driver, 'history-panel-long');
    await (await byTestId(driver, 'history-close')).click();
  }, { PGPASSFILE: noPassfile });

  runCli(bob, ['sync'], passwords.bob);
  const shown = JSON.parse(runCli(bob, ['firm', 'show', 'HiSilicon', '--json'], passwords.bob));
  assert.equal(shown.draft.summary, MINE, 'Bob has the value Alice kept');
  const baidu = JSON.parse(runCli(bob, ['firm', 'show', 'Baidu', '--json'], passwords.bob));
  assert.equal(baidu.draft.summary, BAIDU_MERGED, 'Bob has the merge Alice typed');
});

test('Join from the menu makes a replica in a new file and opens it; a reader’s sync says the role may only read', async (t) => {
  const replica = join(scratch, '卡罗尔 replica.db');
  const carolPassfile = join(scratch, 'carol-pgpass');
  const answer = join(scratch, 'dialog-answer.txt');
  writeFileSync(answer, `${replica}\n`);
  runCli(join(scratch, 'alice.db'), ['team', 'grant', 'carol', 'reader'], passwords.alice);
  await withApp(t, display.display, join(scratch, 'carol-start.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await openMenu(driver);
    await (await byTestId(driver, 'join-team-workspace')).click();
    const dialog = await byTestId(driver, 'join-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    await typeInto(await byTestId(driver, 'team-server-input'), cluster.url('carol'));
    await typeInto(await byTestId(driver, 'team-name-input'), TEAM);
    await typeInto(await byTestId(driver, 'team-password-input'), passwords.carol);
    await (await byTestId(driver, 'team-password-keep')).click();
    await (await byTestId(driver, 'join-choose-file')).click();
    await waitForText(driver, 'join-path', '卡罗尔 replica.db');
    await saveScreenshot(driver, 'join-dialog');
    await (await byTestId(driver, 'join-dialog-confirm')).click();

    // The window reloads on the new replica.
    await driver.wait(async () => {
      const summary = await driver.findElements(By.css('[data-testid="workspace-summary"]'));
      return summary.length > 0 && (await summary[0].getText().catch(() => '')).includes('replica.db');
    }, 20_000, 'the sidebar shows the new replica');
    await waitForText(driver, 'team-name', TEAM);
    await waitForText(driver, 'team-waiting', '0 changes waiting');
    // Asked to, the app kept the password where PostgreSQL's own tools look for it.
    assert.match(readFileSync(carolPassfile, 'utf8'), /^127\.0\.0\.1:\d+:postgres:carol:/m);
    assert.equal(statSync(carolPassfile).mode & 0o777, 0o600);
    await (await byTestId(driver, 'nav-conflicts')).click();
    await waitForText(driver, 'conflicts-empty', 'A conflict is a field that you and a teammate changed');
    await driver.sleep(300); // let WebKit paint the page before the screenshot
    await saveScreenshot(driver, 'conflicts-empty');

    // Carol may only read: her edit stays here, and the sync says why.
    await saveSummary(driver, 'HiSilicon', 'Carol’s edit, which stays on her replica.');
    await waitForText(driver, 'team-waiting', '1 change waiting');
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'sync-failure', 'may only read');
    assert.equal((await driver.findElements(By.css('[data-testid="sync-password"]'))).length, 0, 'no password asked for a role that may only read');
    await waitForText(driver, 'team-waiting', '1 change waiting');
    await driver.sleep(200);
    await saveScreenshot(driver, 'sidebar-read-only');
  }, { PGPASSFILE: carolPassfile, CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('a sync without a password asks for it in the sidebar; a stopped server is said to be out of reach', async (t) => {
  // Bob's replica, made with the CLI: this app session has no password for it.
  const bobPassfile = join(scratch, 'bob-pgpass');
  await withApp(t, display.display, join(scratch, 'bob.db'), async (driver) => {
    await waitForText(driver, 'team-name', TEAM);
    // None was typed, and PGPASSWORD and ~/.pgpass hold none.
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'sync-failure', 'refused the login bob without a password');
    const field = await byTestId(driver, 'sync-password');
    await driver.sleep(200);
    await saveScreenshot(driver, 'sidebar-password');
    await typeInto(field, passwords.bob);
    await (await byTestId(driver, 'sync-password-keep')).click();
    await (await byTestId(driver, 'sync-password-retry')).click();
    await byTestId(driver, 'sync-report');
    assert.match(readFileSync(bobPassfile, 'utf8'), /:bob:/, 'the password kept, as asked');
    assert.equal((await driver.findElements(By.css('[data-testid="sync-failure"]'))).length, 0);

    cluster.halt();
    await (await byTestId(driver, 'sync-now')).click();
    await waitForText(driver, 'sync-failure', 'cannot reach the team server');
    assert.equal((await driver.findElements(By.css('[data-testid="sync-password"]'))).length, 0, 'no password asked for a server that is down');
    await driver.sleep(200);
    await saveScreenshot(driver, 'sidebar-unreachable');
  }, { PGPASSFILE: bobPassfile });
});
