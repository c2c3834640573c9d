// Footprint figures for `make bench` (run by scripts/bench-footprint.sh, not by
// `npm test`): start-up time to the first painted screen, and idle memory (PSS
// and RSS of the app and its WebKit processes) on the default workspace and on
// a 1,000,000-source workspace after browsing the Sources list.
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
import { appBinary, byTestId, launchApp, startDisplay, By, until } from './harness.mjs';

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

/** Launches the app on `workspace`, measures start-up, runs `browse`, idles, measures memory. */
async function measure(display, label, workspace, browse = async () => {}) {
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
    await browse(driver);
    await sleep(IDLE_MS);
    const mem = memory(pid);
    return { label, paintMs, elementMs, firstElementMs, mem };
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
  const { label, paintMs, elementMs, firstElementMs, mem } = result;
  console.log(`\n${label}`);
  if (paintMs !== null) {
    const ok = paintMs <= START_BUDGET_MS ? 'ok' : 'OVER BUDGET';
    console.log(`  start: process start → first contentful paint     ${fmt(paintMs).padStart(6)} ms   budget ${START_BUDGET_MS} ms   ${ok}`);
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
    allOk = report(await measure(display, `1,000,000-source workspace, after browsing Sources (${bigWorkspace})`, bigWorkspace, browse)) && allOk;
  } else {
    console.log('\n(no large workspace given: pass its path to measure one)');
  }
} finally {
  await stop();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(allOk ? '\nfootprint: within budgets' : '\nfootprint: OVER BUDGET (see above)');
if (!allOk) process.exitCode = 1;
