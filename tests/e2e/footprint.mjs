// Footprint figures for `make bench` (run by scripts/bench-footprint.sh, not by
// `npm test`): start-up time to the first painted screen, and idle memory (PSS
// and RSS of the app and its WebKit processes) on the default workspace and on
// a large workspace (bench-footprint.sh: 1,000,000 sources, 100,000 notes)
// after browsing the Sources list; then, in that same session, every screen an
// analyst uses (see "Every screen" below): the time to its first rows and the
// memory after scrolling it to its end.
//
//   CHIPWATCH_APP=target/release/chipwatch-app node tests/e2e/footprint.mjs [BIG_WORKSPACE]
//
// Start-up is measured two ways: from the app process's start (kernel start
// time, 10 ms resolution) to the page's first contentful paint (Paint Timing),
// and, as an upper bound that includes WebDriver, from asking tauri-driver for
// a session to finding the first rendered element.
import { readFileSync, readdirSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addComparedFirm, appBinary, byTestId, launchApp, startDisplay, By, until } from './harness.mjs';

const START_BUDGET_MS = 1000;
const PSS_BUDGET_MB = 300;
const IDLE_MS = 5000;
const bigWorkspace = process.argv[2];

const clockTicks = 100; // getconf CLK_TCK on Linux

/** Epoch milliseconds at which process `pid` started (10 ms resolution): now
 * minus its age, from its start time and the uptime, both in ticks since boot. */
function processStartMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]); // field 22
  const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - (uptimeS - startTicks / clockTicks) * 1000;
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

function pids() {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/** The running app processes (their executable is the binary under test). */
function appPids() {
  const target = resolve(appBinary);
  return pids().filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === target;
    } catch {
      return false;
    }
  });
}

function findApp() {
  const found = appPids();
  if (found.length !== 1) throw new Error(`expected one running ${resolve(appBinary)}, found ${found.length}`);
  return found[0];
}

/** The app and every process below it (WebKitWebProcess, WebKitNetworkProcess). */
function processTree(root) {
  const all = pids();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const pid of all) if (parentOf(pid) === tree[i]) tree.push(pid);
  }
  return tree;
}

function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** PSS and RSS in MB per process and in total, from smaps_rollup. */
function memory(root) {
  const rows = processTree(root).map((pid) => {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      return null;
    }
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { pid, name: commOf(pid), pss: kb('Pss') / 1024, rss: kb('Rss') / 1024 };
  }).filter(Boolean);
  const total = rows.reduce((t, r) => ({ pss: t.pss + r.pss, rss: t.rss + r.rss }), { pss: 0, rss: 0 });
  return { rows, total };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n, digits = 0) => n.toFixed(digits);

/**
 * Launches the app on `workspace`, measures start-up, runs `browse`, idles,
 * measures memory; then runs `after` (the screens tour) in the same session.
 */
async function measure(display, label, workspace, browse = async () => {}, after = null) {
  const asked = Date.now();
  // As installed: the app turns WebKit's GL compositing off itself (src-tauri/src/main.rs);
  // the harness turns it back on for screenshots, so undo that here.
  const session = await launchApp({ display, workspace, env: { WEBKIT_DISABLE_COMPOSITING_MODE: '1' } });
  try {
    const { driver } = session;
    await byTestId(driver, 'nav-firms');
    const foundAt = Date.now();
    const firstElementMs = foundAt - asked;
    const pid = findApp();
    const startedAt = processStartMs(pid);
    const elementMs = foundAt - startedAt;
    const paint = await driver.executeScript(`
      const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
      return { origin: performance.timeOrigin, fcp: fcp ? fcp.startTime : null };`);
    const paintMs = paint.fcp === null ? null : paint.origin + paint.fcp - startedAt;
    // Where the start-up goes: before the page starts loading (the app, its
    // workspace, WebKit's processes), and from there to the first paint.
    const pageStartMs = paint.origin - startedAt;
    await browse(driver);
    await sleep(IDLE_MS);
    const mem = memory(pid);
    const screens = after ? await after(driver, pid) : null;
    return { label, paintMs, pageStartMs, elementMs, firstElementMs, mem, screens };
  } finally {
    await session.stop();
    await appExited();
  }
}

/** Waits until no app process is left: the next launch on the same workspace
 * would otherwise meet the lock of one still shutting down. */
async function appExited() {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (appPids().length === 0) return;
    await sleep(50);
  }
  throw new Error('the app did not exit after its session ended');
}

function report(result) {
  const { label, paintMs, pageStartMs, elementMs, firstElementMs, mem } = result;
  console.log(`\n${label}`);
  if (paintMs !== null) {
    const ok = paintMs <= START_BUDGET_MS ? 'ok' : 'OVER BUDGET';
    console.log(`  start: process start → first contentful paint     ${fmt(paintMs).padStart(6)} ms   budget ${START_BUDGET_MS} ms   ${ok}`);
    console.log(`         (process start → page starts loading ${fmt(pageStartMs)} ms, page → first paint ${fmt(paintMs - pageStartMs)} ms)`);
  } else {
    console.log('  start: this WebKit reports no paint timing');
  }
  console.log(`  start: process start → first element found (WebDriver) ${fmt(elementMs).padStart(6)} ms`);
  console.log(`  start: session request → first element found     ${fmt(firstElementMs).padStart(6)} ms   (includes tauri-driver)`);
  for (const r of mem.rows) console.log(`    ${r.name.padEnd(22)} pid ${String(r.pid).padEnd(8)} PSS ${fmt(r.pss, 1).padStart(7)} MB   RSS ${fmt(r.rss, 1).padStart(7)} MB`);
  const ok = mem.total.pss <= PSS_BUDGET_MB ? 'ok' : 'OVER BUDGET';
  console.log(`  idle memory, all processes: PSS ${fmt(mem.total.pss)} MB (budget ${PSS_BUDGET_MB} MB, ${ok}), RSS ${fmt(mem.total.rss)} MB`);
  return (paintMs === null || paintMs <= START_BUDGET_MS) && mem.total.pss <= PSS_BUDGET_MB;
}

// ---- Every screen on the large workspace -----------------------------------
//
// One session, cumulative: the screens are visited one after another in the
// app that browsed Sources above, as an analyst moves through them, so each
// screen's memory includes whatever the earlier ones left behind (more
// demanding than a fresh launch per screen).
//
// First rows: one executeAsyncScript clicks the screen's nav entry (or link)
// inside the page and, in the same script, a MutationObserver on the document
// resolves as soon as the screen's row selector matches a new element (rows of
// that kind already on screen, such as a profile's chips before Chips, are
// marked first and do not count): the figure is
// performance.now() at that mutation minus performance.now() just before the
// click, so no WebDriver round trip is in it. It is the time until the rows
// are in the DOM (the frame that paints them follows).
// Then the screen is scrolled to its end: main.content (the app's scroll
// container) and every scrolling element inside it, top to bottom (and left to
// right) a window at a time, a frame and a moment between steps, until the
// end stays the end (a list that loads or renders more on the way keeps
// going). After SETTLE_MS the PSS of the app's process tree is read.

const FIRST_ROWS_BUDGET_MS = 200;
const SETTLE_MS = 1500;

const CLICK_AND_TIME = `
  const [clickSelector, clickText, rowSelector, done] = arguments;
  const target = [...document.querySelectorAll(clickSelector)].find((el) => !clickText || el.textContent.includes(clickText));
  if (!target) return done({ error: 'nothing to click: ' + clickSelector + (clickText ? ' with ' + clickText : '') });
  // Rows of the same kind already on screen (the profile's chips before Chips) are marked, so only new ones count.
  for (const old of document.querySelectorAll(rowSelector)) old.dataset.footprintBefore = '';
  const fresh = () => [...document.querySelectorAll(rowSelector)].some((el) => !('footprintBefore' in el.dataset));
  target.scrollIntoView({ block: 'center' });
  let finished = false;
  const finish = (result) => {
    if (finished) return;
    finished = true;
    observer.disconnect();
    done(result);
  };
  const observer = new MutationObserver(() => {
    if (fresh()) finish({ ms: performance.now() - start });
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(() => finish({ error: 'no ' + rowSelector + ' after 30 s' }), 30000);
  const start = performance.now();
  target.click();
  if (fresh()) finish({ ms: performance.now() - start });`;

const SCROLL_TO_END = `
  const done = arguments[arguments.length - 1];
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 16)));
  const deadline = performance.now() + 90000;
  const scrolls = (el, axis) => {
    const style = getComputedStyle(el);
    const overflow = axis === 'y' ? style.overflowY : style.overflowX;
    const more = axis === 'y' ? el.scrollHeight - el.clientHeight : el.scrollWidth - el.clientWidth;
    return (el.matches('main.content') || /auto|scroll/.test(overflow)) && more > 1;
  };
  async function toEnd(el, axis) {
    const pos = axis === 'y' ? 'scrollTop' : 'scrollLeft';
    const size = axis === 'y' ? 'scrollHeight' : 'scrollWidth';
    const view = axis === 'y' ? 'clientHeight' : 'clientWidth';
    let steps = 0;
    let stillAtEnd = 0;
    while (stillAtEnd < 3 && performance.now() < deadline) {
      el[pos] = Math.min(el[pos] + Math.max(50, el[view] * 0.9), el[size]);
      steps++;
      await frame();
      stillAtEnd = el[pos] + el[view] >= el[size] - 1 ? stillAtEnd + 1 : 0;
    }
    return steps;
  }
  (async () => {
    const main = document.querySelector('main.content');
    let steps = await toEnd(main, 'y');
    const inner = [...main.querySelectorAll('*')];
    for (const el of inner) {
      if (scrolls(el, 'y')) steps += await toEnd(el, 'y');
      if (scrolls(el, 'x')) steps += await toEnd(el, 'x');
    }
    done({ steps, timedOut: performance.now() >= deadline });
  })().catch((e) => done({ error: String(e) }));`;

const DOM_NODES = `return document.getElementsByTagName('*').length;`;

/** Sums a memory() reading by process name (the app, WebKitWebProcess, WebKitNetworkProcess). */
function byProcess(mem) {
  const sums = new Map();
  for (const r of mem.rows) sums.set(r.name, (sums.get(r.name) ?? 0) + r.pss);
  return [...sums].map(([name, pss]) => `${name} ${fmt(pss)}`).join(', ');
}

/**
 * Opens one screen (`click`: a selector and optionally the text the element
 * holds), times its first rows (`rows`), scrolls it to its end, waits, reads
 * memory. `prepare` runs first (what must be on screen to click).
 */
async function visit(driver, pid, { name, click, text = '', rows, prepare }) {
  try {
    if (prepare) await prepare();
    const timed = await driver.executeAsyncScript(CLICK_AND_TIME, click, text, rows);
    if (timed.error) return { name, error: timed.error };
    const scrolled = await driver.executeAsyncScript(SCROLL_TO_END);
    if (scrolled.error) return { name, error: `scrolling: ${scrolled.error}` };
    await sleep(SETTLE_MS);
    const nodes = await driver.executeScript(DOM_NODES);
    return { name, ms: timed.ms, mem: memory(pid), nodes, steps: scrolled.steps };
  } catch (error) {
    return { name, error: String(error?.message ?? error).split('\n')[0] };
  }
}

/** Waits for `testId` to be in the DOM (the step before a timed click). */
const present = (driver, selector) => () => driver.wait(until.elementLocated(By.css(selector)), 60_000, `no ${selector}`);

/** Sets up a comparison of several firms through the Compare page (not measured; the tour comes back to it). */
async function setUpComparison(driver) {
  await (await byTestId(driver, 'nav-compare')).click();
  for (const [query, firm] of [['Huawei', 'Huawei'], ['SMIC', 'SMIC'], ['Cambricon', 'Cambricon'], ['Alibaba', 'Alibaba']]) {
    await addComparedFirm(driver, query, firm);
  }
  await driver.wait(until.elementLocated(By.css('[data-testid="compare-cell"]')), 60_000, 'no comparison cells');
}

/** The screens tour: one line per screen, in the order visited. */
async function everyScreen(driver, pid) {
  await driver.manage().setTimeouts({ script: 120_000 });
  let comparison = 'a comparison of Huawei, SMIC, Cambricon, Alibaba';
  await setUpComparison(driver).catch((error) => {
    comparison = `no comparison set up (${String(error?.message ?? error).split('\n')[0]})`;
  });
  const nav = (section) => `[data-testid="nav-${section}"]`;
  const screens = [
    { name: 'Firms', click: nav('firms'), rows: '[data-testid="firm-row"]' },
    {
      name: 'Firm profile: Huawei',
      click: '[data-testid="firm-row"][data-firm-name="Huawei"]',
      rows: '[data-testid="firm-profile"]',
      prepare: present(driver, '[data-testid="firm-row"]'),
    },
    { name: 'Chips', click: nav('chips'), rows: '[data-testid="chip-row"]' },
    { name: 'Sources', click: nav('sources'), rows: '[data-testid="source-row"]' },
    {
      name: 'Source view',
      click: '[data-testid="source-row"]',
      rows: '[data-testid="source-view"]',
      prepare: present(driver, '[data-testid="source-row"]'),
    },
    { name: 'Notes', click: nav('notes'), rows: '[data-testid="note-card"]' },
    {
      name: 'Note view',
      click: '[data-testid="note-link"]',
      rows: '[data-testid="note-view"]',
      prepare: present(driver, '[data-testid="note-link"]'),
    },
    { name: 'Timeline', click: nav('timeline'), rows: '[data-testid="timeline-entry"]' },
    { name: 'Compare', click: nav('compare'), rows: '[data-testid="compare-cell"], [data-testid="empty-state"]' },
    { name: 'Trash', click: nav('trash'), rows: '[data-testid="trash-entry"], [data-testid="empty-state"]' },
    { name: 'Import', click: nav('import'), rows: '[data-testid="import-view"]' },
  ];
  const results = [];
  for (const screen of screens) results.push(await visit(driver, pid, screen));
  const conflicts = await driver.findElements(By.css(nav('conflicts')));
  if (conflicts.length > 0) {
    results.push(await visit(driver, pid, { name: 'Conflicts', click: nav('conflicts'), rows: '[data-testid="conflict-row"], [data-testid="conflicts-table"], [data-testid="empty-state"]' }));
  } else {
    results.push({ name: 'Conflicts', skipped: 'not offered: not a team workspace' });
  }
  return { comparison, results };
}

function reportScreens({ comparison, results }) {
  console.log(`\n  every screen, one session (cumulative, as an analyst browses; Compare holds ${comparison}):`);
  console.log(`  first rows = click to the rows in the DOM (budget ${FIRST_ROWS_BUDGET_MS} ms); PSS of all processes after scrolling to the end and ${SETTLE_MS / 1000} s (budget ${PSS_BUDGET_MB} MB)`);
  console.log(`    ${'screen'.padEnd(24)} ${'first rows'.padStart(10)}   ${'PSS'.padStart(7)}   ${'DOM nodes'.padStart(9)}   verdict       PSS by process (MB)`);
  let ok = true;
  for (const r of results) {
    if (r.skipped) {
      console.log(`    ${r.name.padEnd(24)} (${r.skipped})`);
      continue;
    }
    if (r.error) {
      console.log(`    ${r.name.padEnd(24)} FAILED: ${r.error}`);
      ok = false;
      continue;
    }
    const within = r.ms <= FIRST_ROWS_BUDGET_MS && r.mem.total.pss <= PSS_BUDGET_MB;
    ok = ok && within;
    console.log(
      `    ${r.name.padEnd(24)} ${`${fmt(r.ms)} ms`.padStart(10)}   ${`${fmt(r.mem.total.pss)} MB`.padStart(7)}   ${String(r.nodes).padStart(9)}   ${(within ? 'ok' : 'OVER BUDGET').padEnd(12)}  ${byProcess(r.mem)}`,
    );
  }
  return ok;
}

const scratch = mkdtempSync(join(tmpdir(), 'chipwatch-footprint-'));
const { display, stop } = await startDisplay();
let allOk = true;
try {
  const fresh = join(scratch, 'workspace.db');
  console.log(`footprint of ${resolve(appBinary)} (Xvfb ${display}; idle ${IDLE_MS / 1000} s before memory)`);
  allOk = report(await measure(display, 'default workspace, first launch (creates and seeds it)', fresh)) && allOk;
  const again = [];
  for (let i = 0; i < 3; i++) again.push(await measure(display, 'default workspace', fresh));
  again.sort((a, b) => (a.paintMs ?? a.firstElementMs) - (b.paintMs ?? b.firstElementMs));
  allOk = report({ ...again[1], label: 'default workspace, later launches (median of 3)' }) && allOk;
  if (bigWorkspace) {
    const browse = async (driver) => {
      await (await byTestId(driver, 'nav-sources')).click();
      await driver.wait(until.elementLocated(By.css('[data-testid="source-row"]')), 60_000);
      for (let page = 0; page < 5; page++) {
        const next = await byTestId(driver, 'next-page');
        if (!(await next.isEnabled())) break;
        await next.click();
        await sleep(300);
      }
      await (await byTestId(driver, 'sort-title')).click().catch(() => {});
      await sleep(500);
      await driver.wait(until.elementLocated(By.css('[data-testid="source-row"]')), 60_000);
    };
    const big = await measure(display, `large workspace, after browsing Sources (${bigWorkspace})`, bigWorkspace, browse, everyScreen);
    allOk = report(big) && allOk;
    allOk = reportScreens(big.screens) && allOk;
  } else {
    console.log('\n(no large workspace given: pass its path to measure one)');
  }
} finally {
  await stop();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(allOk ? '\nfootprint: within budgets' : '\nfootprint: OVER BUDGET (see above)');
if (!allOk) process.exitCode = 1;
