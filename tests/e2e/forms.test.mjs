// Editing through the real window: the firm form, its field errors, duplicate
// names and the guard against losing unsaved changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By, byTestId, Key, saveScreenshot, startDisplay, typeInto, until, withApp } from './harness.mjs';

let display;
let scratch;

before(async () => {
  display = await startDisplay();
  scratch = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-forms-'));
});

after(async () => {
  await display?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('a firm with a Chinese native name is created through the form after a bad date is corrected', async (t) => {
  await withApp(t, display.display, join(scratch, 'create.db'), async (driver) => {
    await (await byTestId(driver, 'new-firm')).click();
    await byTestId(driver, 'firm-form');
    // WebKitWebDriver cannot type characters outside the BMP (emoji); the core tests cover those.
    // A firm the default dataset does not have (it has Cambricon, 寒武纪).
    await typeInto(await byTestId(driver, 'firm-name-input'), 'Enflame "燧原", Inc.');
    await typeInto(await byTestId(driver, 'firm-native-name-input'), '燧原科技');
    await typeInto(await byTestId(driver, 'firm-aliases-input'), `上海燧原科技${Key.ENTER}Enflame Technology`);
    await (await byTestId(driver, 'add-listing')).click();
    await typeInto(await byTestId(driver, 'listing-date-input'), '2022-02-30');
    await (await byTestId(driver, 'form-save')).click();

    const error = await byTestId(driver, 'field-error');
    await driver.wait(until.elementTextContains(error, 'Listed on: "2022-02-30" is not a date (Feb 2022 has 28 days) — write 2023, Oct 2023 or 17 Oct 2023'), 10_000);
    const row = await byTestId(driver, 'listing-row');
    assert.ok((await row.findElements(By.css('[data-testid="field-error"]'))).length === 1, 'the error sits in the listing row');
    await saveScreenshot(driver, 'firm-form-date-error');

    await typeInto(await byTestId(driver, 'listing-date-input'), '2022-12');
    await (await byTestId(driver, 'form-save')).click();
    const title = await byTestId(driver, 'firm-name');
    await driver.wait(until.elementTextIs(title, 'Enflame "燧原", Inc.'), 10_000);
    const header = await driver.findElement(By.css('h1'));
    assert.match(await header.getText(), /燧原科技$/, 'the native name shows beside the name');
    assert.match(await (await byTestId(driver, 'firm-profile')).getText(), /Also known as Enflame Technology · 上海燧原科技/, 'one alias per line, listed in order');
    await saveScreenshot(driver, 'firm-created');

    await (await byTestId(driver, 'nav-firms')).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Enflame \\"燧原\\", Inc."]')), 10_000);

    // Ctrl+K from another page finds the new firm by two characters of its Chinese name.
    await (await byTestId(driver, 'nav-sources')).click();
    await driver.actions().keyDown(Key.CONTROL).sendKeys('k').keyUp(Key.CONTROL).perform();
    const palette = await byTestId(driver, 'search-palette');
    await driver.wait(until.elementIsVisible(palette), 10_000);
    await typeInto(await byTestId(driver, 'search-input'), '燧原');
    const hit = await driver.wait(until.elementLocated(By.css('[data-testid="search-hit"][data-kind="firm"]')), 10_000);
    await driver.wait(until.elementTextContains(hit, 'Enflame'), 10_000);
    assert.equal(await (await hit.findElement(By.css('mark'))).getText(), '燧原', 'the matched characters are highlighted');
    await driver.sleep(300); // let WebKit paint the results before the screenshot
    await saveScreenshot(driver, 'search-chinese');
    await (await byTestId(driver, 'search-input')).sendKeys(Key.ENTER);
    await driver.wait(until.elementIsNotVisible(palette), 10_000);
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'Enflame "燧原", Inc.'), 10_000);
  });
});

test('a date typed as the app shows it ("Oct 2023") is saved, and shown that way on the profile and in the form', async (t) => {
  await withApp(t, display.display, join(scratch, 'dates.db'), async (driver) => {
    await (await byTestId(driver, 'new-firm')).click();
    await byTestId(driver, 'firm-form');
    await typeInto(await byTestId(driver, 'firm-name-input'), 'Dated Semiconductor');
    await (await byTestId(driver, 'add-listing')).click();
    // The first listing row pushes the button down to the sticky Save bar: bring it up first.
    const addListing = await byTestId(driver, 'add-listing');
    await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', addListing);
    await addListing.click();
    const [first, second] = await driver.findElements(By.css('[data-testid="listing-date-input"]'));
    await typeInto(first, 'Oct 2023');
    // Another way of writing a date: the core reads it when the field is left, and says how it will be saved.
    const [, secondRow] = await driver.findElements(By.css('[data-testid="listing-row"]'));
    await typeInto(await secondRow.findElement(By.css('input')), 'MEU List');
    await typeInto(second, '2019年5月16日');
    await second.sendKeys(Key.TAB);
    await driver.wait(until.elementTextContains(secondRow, 'Saved as 16 May 2019'), 10_000);
    await driver.executeScript('arguments[0].scrollIntoView({block: "center"})', secondRow);
    await driver.sleep(200);
    await saveScreenshot(driver, 'firm-form-dates-typed');

    await (await byTestId(driver, 'form-save')).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'Dated Semiconductor'), 10_000);
    const shown = async () => Promise.all((await driver.findElements(By.css('[data-testid="listing-date"]'))).map((e) => e.getText()));
    await driver.wait(async () => (await shown()).length === 2, 10_000, 'both listings on the profile');
    assert.deepEqual((await shown()).sort(), ['16 May 2019', 'Oct 2023']);
    await saveScreenshot(driver, 'firm-profile-dates');

    // Editing again: the stored 2023-10 is in the field as the app shows it.
    await (await byTestId(driver, 'edit-firm')).click();
    await byTestId(driver, 'firm-form');
    const values = await Promise.all((await driver.findElements(By.css('[data-testid="listing-date-input"]'))).map((e) => e.getAttribute('value')));
    assert.deepEqual(values.sort(), ['16 May 2019', 'Oct 2023']);
    await driver.executeScript('arguments[0].scrollIntoView({block: "center"})', await byTestId(driver, 'add-listing'));
    await driver.sleep(200);
    await saveScreenshot(driver, 'firm-form-dates-loaded');
  });
});

test('a name another firm uses offers that firm, and leaving unsaved edits asks first', async (t) => {
  await withApp(t, display.display, join(scratch, 'duplicate.db'), async (driver) => {
    await (await byTestId(driver, 'new-firm')).click();
    await typeInto(await byTestId(driver, 'firm-native-name-input'), '华为');
    const conflict = await byTestId(driver, 'firm-conflict');
    await driver.wait(until.elementTextContains(conflict, 'Huawei'), 10_000);
    await saveScreenshot(driver, 'firm-form-conflict');

    await (await conflict.findElement(By.css('button'))).click();
    const dialog = await byTestId(driver, 'leave-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    await (await byTestId(driver, 'leave-dialog-cancel')).click();
    await driver.wait(until.elementIsNotVisible(dialog), 10_000);
    assert.ok(await (await byTestId(driver, 'firm-form')).isDisplayed(), 'keep editing stays on the form');

    await (await conflict.findElement(By.css('button'))).click();
    await (await byTestId(driver, 'leave-dialog-confirm')).click();
    const title = await byTestId(driver, 'firm-name');
    await driver.wait(until.elementTextIs(title, 'Huawei'), 10_000);
  });
});

test('the chip form estimates TPP and 3A090 live and saves the chip with a source found by search', async (t) => {
  await withApp(t, display.display, join(scratch, 'chip.db'), async (driver) => {
    await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Huawei"] td')), 10_000)).click();
    await (await byTestId(driver, 'add-chip')).click();
    await byTestId(driver, 'chip-form');
    await typeInto(await byTestId(driver, 'chip-name-input'), 'Ascend 测试 A100-class');
    // The vocabulary's words (vocabulary.ts): no figures yet, the estimate is not recorded; a foundry not chosen is too.
    assert.equal(await (await byTestId(driver, 'chip-rules')).getAttribute('title'), 'not recorded: needs TPP');
    const foundry = await (await byTestId(driver, 'chip-form')).findElement(By.xpath('.//label[span[contains(@class, "label")][starts-with(., "Foundry")]]//select'));
    assert.equal(await driver.executeScript('return arguments[0].selectedOptions[0]?.textContent', foundry), 'Not recorded');
    // Figures below every threshold meet none of the parameters: "none met", never "None".
    await typeInto(await byTestId(driver, 'chip-peakDenseTops-input'), '50');
    const bits = await byTestId(driver, 'chip-peakBitWidth-input');
    await bits.findElement(By.css('option[value="8"]')).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'chip-rules'), 'none met'), 10_000);
    await saveScreenshot(driver, 'chip-form-none-met');
    await typeInto(await byTestId(driver, 'chip-peakDenseTops-input'), '312');
    await bits.findElement(By.css('option[value="16"]')).click();
    // Before the die area is known, the density paragraphs are open, not missed.
    await driver.wait(
      until.elementTextIs(await byTestId(driver, 'chip-rules'), '3A090.a.1; a.2, b.2 undetermined: no die area'),
      10_000,
    );
    await typeInto(await byTestId(driver, 'chip-dieAreaMm2-input'), '826');
    await driver.wait(until.elementTextIs(await byTestId(driver, 'chip-tpp'), '4,992'), 10_000);
    assert.equal(await (await byTestId(driver, 'chip-density')).getText(), '6.04');
    assert.equal(await (await byTestId(driver, 'chip-rules')).getText(), '3A090.a.1, 3A090.a.2');

    const search = await byTestId(driver, 'source-search');
    await driver.executeScript('arguments[0].scrollIntoView({block: "center"})', search);
    await typeInto(search, 'Epoch');
    const results = await byTestId(driver, 'source-search-results');
    await saveScreenshot(driver, 'chip-form-source-search');
    await (await results.findElement(By.css('button'))).click();
    await byTestId(driver, 'picked-source');
    await saveScreenshot(driver, 'chip-form');

    await (await byTestId(driver, 'form-save')).click();
    await byTestId(driver, 'firm-profile');
    await driver.wait(async () => {
      const names = await Promise.all((await driver.findElements(By.css('[data-testid="chip-name"]'))).map((e) => e.getText()));
      return names.includes('Ascend 测试 A100-class');
    }, 10_000, 'the new chip is listed on the profile');
  });
});

test('a note links to a firm with [[...]] via autocomplete, and the firm shows the backlink', async (t) => {
  await withApp(t, display.display, join(scratch, 'note.db'), async (driver) => {
    await (await byTestId(driver, 'nav-notes')).click();
    await (await byTestId(driver, 'new-note')).click();
    await typeInto(await byTestId(driver, 'note-title-input'), '寒武纪 and SMIC: capacity, "quoted", 7 nm');
    const body = await byTestId(driver, 'note-body-input');
    await typeInto(body, 'SMIC supplies [[中芯');
    const suggestions = await byTestId(driver, 'link-suggestions');
    await driver.wait(until.elementTextContains(suggestions, 'SMIC'), 10_000);
    await body.sendKeys(Key.ENTER, ' at 7 nm. <script>alert(1)</script>');
    await driver.wait(async () => (await body.getAttribute('value')).includes('[[SMIC]] at 7 nm'), 10_000, 'the link is completed');
    await saveScreenshot(driver, 'note-editor');
    await (await byTestId(driver, 'form-save')).click();

    const view = await byTestId(driver, 'note-view');
    const link = await view.findElement(By.css('a.wikilink[data-kind="firm"]'));
    assert.equal(await link.getText(), 'SMIC');
    const rendered = await byTestId(driver, 'note-body');
    assert.match(await rendered.getText(), /<script>alert\(1\)<\/script>/, 'typed HTML is shown as text');
    assert.equal((await rendered.findElements(By.css('script'))).length, 0, 'no script element');
    await saveScreenshot(driver, 'note-view');

    await link.click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'SMIC'), 10_000);
    const backlink = await byTestId(driver, 'backlink');
    assert.equal(await backlink.getText(), '寒武纪 and SMIC: capacity, "quoted", 7 nm');
  });
});

test('a firm deleted to the Trash, with its impact shown first, comes back on restore', async (t) => {
  await withApp(t, display.display, join(scratch, 'trash.db'), async (driver) => {
    await (await driver.wait(until.elementLocated(By.css('[data-testid="firm-row"][data-firm-name="Tencent"] td')), 10_000)).click();
    await byTestId(driver, 'firm-profile');
    await (await byTestId(driver, 'delete-record')).click();
    const dialog = await byTestId(driver, 'delete-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    assert.match(await dialog.getText(), /Tencent/);
    await saveScreenshot(driver, 'delete-dialog');
    await (await byTestId(driver, 'delete-dialog-confirm')).click();

    await byTestId(driver, 'firm-row');
    assert.equal((await driver.findElements(By.css('[data-testid="firm-row"][data-firm-name="Tencent"]'))).length, 0, 'gone from the list');

    await (await byTestId(driver, 'nav-trash')).click();
    const entry = await driver.wait(until.elementLocated(By.css('[data-testid="trash-entry"][data-title="Tencent"]')), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    await saveScreenshot(driver, 'trash');
    await (await entry.findElement(By.css('[data-testid="restore"]'))).click();
    const notice = await byTestId(driver, 'restored-notice');
    await (await notice.findElement(By.css('button'))).click();
    await driver.wait(until.elementTextIs(await byTestId(driver, 'firm-name'), 'Tencent'), 10_000);
    assert.match(await (await byTestId(driver, 'firm-profile')).getText(), /腾讯/);

    // Deleted again, then the Trash emptied: what goes is said first, by kind.
    await (await byTestId(driver, 'delete-record')).click();
    await driver.wait(until.elementIsVisible(await byTestId(driver, 'delete-dialog')), 10_000);
    await (await byTestId(driver, 'delete-dialog-confirm')).click();
    await byTestId(driver, 'firm-row');
    await (await byTestId(driver, 'nav-trash')).click();
    await (await byTestId(driver, 'empty-trash')).click();
    const impact = await byTestId(driver, 'empty-trash-impact');
    await driver.wait(until.elementIsVisible(impact), 10_000);
    assert.match(await impact.getText(), /^1 firm, with everything that went with them/);
    await saveScreenshot(driver, 'empty-trash-dialog');
    await (await byTestId(driver, 'empty-trash-dialog-confirm')).click();
    await driver.wait(until.elementLocated(By.xpath("//*[contains(text(), 'The Trash is empty')]")), 10_000);
    assert.equal((await driver.findElements(By.css('[data-testid="trash-entry"]'))).length, 0);
  });
});

test('a new note takes typing at once, Enter in its title goes on to the text, Escape leaves after asking', async (t) => {
  await withApp(t, display.display, join(scratch, 'keyboard.db'), async (driver) => {
    await (await byTestId(driver, 'nav-notes')).click();
    await (await byTestId(driver, 'new-note')).click();
    const title = await byTestId(driver, 'note-title-input');
    await driver.wait(async () => (await driver.switchTo().activeElement().getAttribute('data-testid')) === 'note-title-input', 10_000, 'the title has the focus');

    // Typed straight away, without clicking: it lands in the title.
    await driver.switchTo().activeElement().sendKeys('华为 "Ascend" 笔记', Key.ENTER, 'First line, typed after Enter');
    assert.equal(await title.getAttribute('value'), '华为 "Ascend" 笔记');
    const body = await byTestId(driver, 'note-body-input');
    assert.equal(await body.getAttribute('value'), 'First line, typed after Enter', 'Enter moved on to the text, it did not save');
    assert.ok(await (await byTestId(driver, 'note-form')).isDisplayed());

    // Escape with unsaved text asks first; Keep editing stays.
    await body.sendKeys(Key.ESCAPE);
    const dialog = await byTestId(driver, 'leave-dialog');
    await driver.wait(until.elementIsVisible(dialog), 10_000);
    await (await byTestId(driver, 'leave-dialog-cancel')).click();
    await driver.wait(until.elementIsNotVisible(dialog), 10_000);
    assert.ok(await (await byTestId(driver, 'note-form')).isDisplayed(), 'still editing');
    await body.sendKeys(Key.ESCAPE);
    await (await byTestId(driver, 'leave-dialog-confirm')).click();
    await driver.wait(async () => (await driver.findElements(By.css('[data-testid="note-form"]'))).length === 0, 10_000, 'Escape left the form');
  });
});
