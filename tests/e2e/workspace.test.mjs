// The workspace menu: a new workspace, back to a recent one, and a file that
// is not a workspace refused with the current one left open. Native file
// dialogs cannot be driven through WebDriver, so each dialog's answer is read
// from a file named by CHIPWATCH_TEST_DIALOG_ANSWER (see src-tauri/src/lib.rs).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { appBinary, By, byTestId, repoRoot, saveScreenshot, startDisplay, until, withApp } from './harness.mjs';

const cli = process.env.CHIPWATCH_CLI ?? join(repoRoot, 'target/debug/chipwatch');

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-workspace-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function openMenu(driver) {
  await (await byTestId(driver, 'workspace-menu-button')).click();
  return byTestId(driver, 'workspace-menu');
}

async function waitForSummary(driver, pathPart, countText) {
  await driver.wait(async () => {
    // Read while a page may be reloading: WebDriver errors then, and it is asked again.
    const summary = await driver.findElements(By.css('[data-testid="workspace-summary"]')).catch(() => []);
    if (summary.length === 0) return false;
    const text = await summary[0].getText().catch(() => '');
    return text.includes(pathPart) && text.includes(countText);
  }, 20_000, `the sidebar shows ${pathPart} with ${countText}`);
}

test('a new empty workspace opens from the menu, and the first comes back from Recent', async (t) => {
  const first = join(scratch, 'first.db');
  const second = join(scratch, '第二 workspace.db');
  const answer = join(scratch, 'dialog-answer.txt');
  writeFileSync(answer, `${second}\n`);
  await withApp(t, display.display, first, async (driver) => {
    await byTestId(driver, 'firm-row');
    await openMenu(driver);
    await saveScreenshot(driver, 'workspace-menu');
    await (await byTestId(driver, 'new-workspace')).click();
    const dialog = await byTestId(driver, 'new-workspace-dialog');
    await driver.wait(until.elementTextContains(dialog, '第二 workspace.db'), 10_000);
    await (await dialog.findElement(By.css('input[type="checkbox"]'))).click();
    await (await byTestId(driver, 'new-workspace-dialog-confirm')).click();

    await waitForSummary(driver, 'workspace.db', '0 firms');
    const empty = await byTestId(driver, 'empty-state');
    assert.match(await empty.getText(), /No firms yet/);
    await saveScreenshot(driver, 'firms-empty');
    // The empty list offers the first step.
    await (await empty.findElement(By.css('button'))).click();
    await byTestId(driver, 'form-cancel');
    await (await byTestId(driver, 'form-cancel')).click();

    await openMenu(driver);
    const recent = await byTestId(driver, 'recent-workspace');
    assert.match(await recent.getAttribute('title'), /first\.db$/);
    await recent.click();
    await waitForSummary(driver, 'first.db', '15 firms');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
  assert.ok(readFileSync(second).subarray(0, 16).toString() === 'SQLite format 3\u0000', 'the new workspace is a SQLite file');
});

test('opening a file that is not a workspace says why and keeps the current one open', async (t) => {
  const notes = join(scratch, 'notes.txt');
  writeFileSync(notes, 'just some text, not a database\n');
  const answer = join(scratch, 'dialog-answer-2.txt');
  writeFileSync(answer, `${notes}\n`);
  await withApp(t, display.display, join(scratch, 'kept.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    await openMenu(driver);
    await (await byTestId(driver, 'open-workspace')).click();
    const failure = await byTestId(driver, 'workspace-failure');
    await driver.wait(until.elementTextContains(failure, 'notes.txt'), 10_000);
    await saveScreenshot(driver, 'workspace-open-refused');
    assert.equal(readFileSync(notes, 'utf8'), 'just some text, not a database\n', 'the file is left as it was');
    await waitForSummary(driver, 'kept.db', '15 firms');
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('Back up now, then restoring that backup brings back the workspace as it was', async (t) => {
  const workspace = join(scratch, 'backed-up.db');
  await withApp(t, display.display, workspace, async (driver) => {
    await byTestId(driver, 'firm-row');
    await openMenu(driver);
    await (await byTestId(driver, 'backup-now')).click();
    await driver.wait(until.elementTextContains(await byTestId(driver, 'workspace-notice'), 'Backed up to'), 10_000);

    // A change after the backup, made beside the app through the CLI.
    execFileSync(cli, ['--workspace', workspace, 'note', 'add', '--title', 'Written after the backup']);

    await (await byTestId(driver, 'restore-open')).click();
    const entry = await byTestId(driver, 'backup-entry');
    assert.match(await entry.getText(), /backed up by hand/);
    // Shown as every timestamp is ("1 Dec 2026, 23:22"), not in the browser's locale format.
    assert.match(await entry.getText(), /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}\b/);
    await saveScreenshot(driver, 'workspace-backups');
    // The sidebar still shows 4 notes (it was not told of the CLI's note): wait for the
    // page to reload on the restored workspace before reading it.
    const shownBefore = await byTestId(driver, 'workspace-summary');
    await entry.click();
    await (await byTestId(driver, 'restore-dialog-confirm')).click();
    await driver.wait(() => shownBefore.getText().then(() => false, () => true), 20_000, 'the page reloads on the restored workspace');
    await waitForSummary(driver, 'backed-up.db', '4 notes');
  });
  const notes = execFileSync(cli, ['--workspace', workspace, 'list', 'notes', '--json'], { encoding: 'utf8' });
  assert.ok(!notes.includes('Written after the backup'), 'the note written after the backup is gone');
});

test('a workspace open in another Chipwatch window is refused with a message naming it', async (t) => {
  const workspace = join(scratch, 'held.db');
  const holder = spawn(appBinary, [], { env: { ...process.env, DISPLAY: display.display, NO_AT_BRIDGE: '1', CHIPWATCH_WORKSPACE: workspace }, stdio: 'ignore' });
  try {
    const lock = join(scratch, '.held.db.lock');
    for (let i = 0; i < 100 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    await withApp(t, display.display, workspace, async (driver) => {
      const error = await byTestId(driver, 'workspace-error');
      await driver.wait(until.elementTextContains(error, 'held.db'), 10_000);
      assert.match(await error.getText(), /another Chipwatch window|open elsewhere|already open/i);
      await saveScreenshot(driver, 'workspace-open-elsewhere');
    });
  } finally {
    holder.kill('SIGTERM');
  }
});

test('after a crash, a damaged workspace opens to its first screen, then warns and points to the backups', async (t) => {
  const workspace = join(scratch, '崩溃后 crashed.db');
  const lock = join(scratch, '.崩溃后 crashed.db.lock');
  execFileSync(cli, ['--workspace', workspace, 'init']);
  // A backup from before the damage, for the warning to point to.
  execFileSync(cli, ['--workspace', workspace, 'backup']);
  // Damage only a read of every page finds, as a bad disk sector leaves it:
  // the root page of the Trash's order index, which the first screen never reads.
  const page = Number(
    execFileSync('sqlite3', ['-readonly', workspace, "SELECT rootpage FROM sqlite_schema WHERE name = 'trash_deleted_at'"], { encoding: 'utf8' }).trim(),
  );
  const bytes = readFileSync(workspace);
  for (let i = 0; i < 4096; i++) bytes[(page - 1) * 4096 + i] = (i * 7) % 251;
  writeFileSync(workspace, bytes);

  // The crash: an app killed while it has the workspace open leaves its lock file saying so.
  const crashing = spawn(appBinary, [], {
    env: { ...process.env, DISPLAY: display.display, NO_AT_BRIDGE: '1', CHIPWATCH_WORKSPACE: workspace, XDG_CONFIG_HOME: scratch },
    stdio: 'ignore',
  });
  const held = () => existsSync(lock) && spawnSync('flock', ['-n', lock, 'true']).status !== 0;
  for (let i = 0; i < 200 && !held(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(held(), 'the app took the workspace');
  const exited = new Promise((r) => crashing.once('exit', r));
  crashing.kill('SIGKILL');
  await exited;
  assert.match(readFileSync(lock, 'utf8'), / open\n$/, 'the kill left the lock file saying open');

  await withApp(t, display.display, workspace, async (driver) => {
    // The first screen does not wait for the check.
    await byTestId(driver, 'firm-row');
    const warning = await byTestId(driver, 'damage-warning');
    await driver.wait(until.elementTextContains(warning, 'This workspace is damaged'), 20_000);
    const text = await warning.getAttribute('textContent');
    assert.match(text, new RegExp(`page ${page}\\b`, 'i'), 'names the damaged page');
    assert.match(text, /Restore from a backup/);
    await saveScreenshot(driver, 'damage-warning');

    await (await byTestId(driver, 'damage-warning-backups')).click();
    const entry = await byTestId(driver, 'backup-entry');
    assert.match(await entry.getText(), /backed up by hand/);
    await saveScreenshot(driver, 'damage-warning-backups');
    await entry.click();
    await (await byTestId(driver, 'restore-dialog-confirm')).click();
    // The window reloads on the restored workspace; the finding no longer holds.
    await driver.wait(until.stalenessOf(warning), 20_000);
    await byTestId(driver, 'firm-row');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await driver.findElements(By.css('[data-testid="damage-warning"]'))).length, 0, 'no warning after the restore');
  });
  const check = spawnSync(cli, ['--workspace', workspace, 'check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('Open workspace… on the workspace already open is no error', async (t) => {
  const open = join(scratch, 'already open.db');
  const answer = join(scratch, 'dialog-answer-same.txt');
  writeFileSync(answer, `${open}\n`);
  await withApp(t, display.display, open, async (driver) => {
    await byTestId(driver, 'firm-row');
    await openMenu(driver);
    await (await byTestId(driver, 'open-workspace')).click();
    // The window reloads on the same workspace, with no message about another window.
    await waitForSummary(driver, 'already open.db', '15 firms');
    await byTestId(driver, 'firm-row');
    assert.equal((await driver.findElements(By.css('[data-testid="workspace-failure"]'))).length, 0);
    assert.equal((await driver.findElements(By.css('[role="alert"]'))).length, 0);
  }, { CHIPWATCH_TEST_DIALOG_ANSWER: answer });
});

test('the page cannot read or write a file the person did not choose', async (t) => {
  const planted = join(scratch, 'planted by the page.txt');
  await withApp(t, display.display, join(scratch, 'guarded.db'), async (driver) => {
    await byTestId(driver, 'firm-row');
    // What a misbehaving page could ask the backend for, straight through IPC.
    const attempt = (command, args) => driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
         (value) => done({ ok: true, value }),
         (error) => done({ ok: false, error }));`,
      command, args);
    const options = { encoding: null, delimiter: null, mapping: null, preset: null, onDuplicate: 'skip', strict: false, dryRun: true };
    const asked = [
      ['save_file', { path: planted, contents: [104, 105] }],
      ['preview_import', { path: '/etc/passwd', target: 'sources', options }],
      ['restore_backup', { from: '/etc/passwd' }],
      ['open_workspace', { path: join(scratch, 'guarded.db') }],
    ];
    for (const [command, args] of asked) {
      const result = await attempt(command, args);
      assert.equal(result.ok, false, `${command} was refused`);
      assert.equal(result.error.kind, 'invalidInput', `${command}: ${JSON.stringify(result.error)}`);
      assert.match(result.error.message, /was not chosen in a file dialog/, command);
    }
    assert.equal(existsSync(planted), false, 'nothing was written');
  });
});
