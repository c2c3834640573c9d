// Starts what an end-to-end test needs: a virtual display (Xvfb), tauri-driver
// (which starts WebKitWebDriver and the real app binary), and a WebDriver session.
// Each session gets its own workspace through CHIPWATCH_WORKSPACE, and every
// session of a run a config folder of its own (XDG_CONFIG_HOME), so the app's
// recent-workspaces list never touches the user's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, Key, until } from 'selenium-webdriver';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const appBinary = process.env.CHIPWATCH_APP ?? join(repoRoot, 'target/debug/chipwatch-app');
export const artifactsDir = join(here, 'artifacts');
const DRIVER_PORT = 4444;
const configHome = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-config-'));
process.on('exit', () => rmSync(configHome, { recursive: true, force: true }));
const TIMEOUT_MS = 20_000;

/** Starts Xvfb on a free display number and returns it with a stop function. */
export async function startDisplay() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise((resolveDisplay, reject) => {
    let text = '';
    xvfb.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolveDisplay(`:${text.trim()}`);
    });
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    setTimeout(() => reject(new Error('Xvfb did not report a display')), TIMEOUT_MS).unref();
  });
  return { display, stop: () => stopProcess(xvfb) };
}

/**
 * Launches the app on `workspace` and returns a WebDriver session.
 * Stop it with `session.stop()`: it ends the session and tauri-driver (SIGTERM,
 * so that WebKitWebDriver is stopped too and frees its port).
 */
export async function launchApp({ display, workspace, env: extraEnv = {} }) {
  // RUST_LIB_BACKTRACE=0: tauri-driver's harmless retry messages stay one line.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: configHome,
    DISPLAY: display,
    NO_AT_BRIDGE: '1',
    RUST_LIB_BACKTRACE: '0',
    CHIPWATCH_WORKSPACE: workspace,
    // The app turns WebKit's GL compositing off to save memory (src-tauri/src/main.rs);
    // WebKitWebDriver's screenshot never answers without it, so the tests keep it on.
    WEBKIT_DISABLE_COMPOSITING_MODE: '0',
    ...extraEnv,
  };
  const driverProcess = spawn('tauri-driver', ['--port', String(DRIVER_PORT)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(DRIVER_PORT);
  const capabilities = { browserName: 'wry', 'tauri:options': { application: appBinary } };
  let driver;
  try {
    driver = await newSession(capabilities);
  } catch (error) {
    await stopProcess(driverProcess);
    throw error;
  }
  return {
    driver,
    async stop() {
      await driver.quit().catch(() => {});
      await stopProcess(driverProcess);
    },
  };
}

/**
 * A WebDriver session. tauri-driver answers on its port before the
 * WebKitWebDriver behind it listens; a session asked for in that moment gets
 * a hung-up connection, so that one failure is retried briefly.
 */
async function newSession(capabilities) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Builder().usingServer(`http://127.0.0.1:${DRIVER_PORT}/`).withCapabilities(capabilities).build();
    } catch (error) {
      const hungUp = error?.code === 'ECONNRESET' || /socket hang up/.test(String(error?.message));
      if (!hungUp || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

/**
 * Runs `body` against a fresh app on `workspace` (with `env` added to its
 * environment); on failure saves a screenshot named after the test `t` and
 * adds its path to the error.
 */
export async function withApp(t, display, workspace, body, env = {}) {
  // Held already: another app a test keeps open on purpose; not waited for.
  const heldBefore = lockHeld(workspace);
  const session = await launchApp({ display, workspace, env });
  const pageProcess = webProcessOf(appPid(workspace));
  try {
    await body(session.driver);
  } catch (error) {
    const shot = await saveScreenshot(session.driver, t.name.replace(/\W+/g, '-')).catch(() => null);
    if (shot) error.message += `\nscreenshot: ${shot}`;
    error.message += `\n${appState(workspace, pageProcess)}`;
    throw error;
  } finally {
    await session.stop();
    if (!heldBefore) await waitUntilReleased(workspace);
  }
}

/**
 * Waits until no app holds the workspace's lock (`.NAME.lock` beside it,
 * flock): the app quits a moment after its WebDriver session ends, and a
 * test that opens the same file again must not find the last one there. An
 * app that lingers (a window kept open by an unsaved-changes question) is
 * stopped after a few seconds: its pid is in the lock file.
 */
async function waitUntilReleased(workspace) {
  for (let waited = 0; waited < 5_000 && lockHeld(workspace); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = appPid(workspace);
  if (pid !== null) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  for (let waited = 0; waited < 5_000 && lockHeld(workspace); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether the app and the web process it started with still run: a failure's first clue. */
function appState(workspace, pageProcessAtStart) {
  const app = appPid(workspace);
  if (app === null) return 'the app had ended';
  const page = webProcessOf(app);
  if (page === null) return `the app (pid ${app}) runs without a web process`;
  if (page !== pageProcessAtStart) return `the app (pid ${app}) runs; its web process was replaced (${pageProcessAtStart} → ${page})`;
  return `the app (pid ${app}) and its web process (pid ${page}) run`;
}

/** The WebKit web process the app `pid` started (its name is cut to 15 characters), or null. */
export function webProcessOf(pid) {
  if (pid === null) return null;
  const found = spawnSync('pgrep', ['-P', String(pid), '-x', 'WebKitWebProces'], { encoding: 'utf8' }).stdout.trim();
  return found === '' ? null : Number.parseInt(found.split('\n')[0], 10);
}

/** The pid of the app that holds `workspace` open (its lock file names it), or null. */
export function appPid(workspace) {
  if (!lockHeld(workspace)) return null;
  const pid = Number.parseInt(readFileSync(lockPath(workspace), 'utf8'), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : null;
}

function lockPath(workspace) {
  return join(dirname(workspace), `.${basename(workspace)}.lock`);
}

/** Whether an app holds the workspace's lock file now. */
function lockHeld(workspace) {
  const lock = lockPath(workspace);
  return existsSync(lock) && spawnSync('flock', ['-n', lock, 'true']).status !== 0;
}

/** Types `text` into a field after clearing it (WebKitWebDriver's clear() does not fire input events). */
export async function typeInto(element, text) {
  await element.clear();
  await element.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.DELETE);
  if (text !== '') await element.sendKeys(text);
}

/** Adds a firm to the comparison on the Compare page: types `query`, picks the match naming `name`. */
export async function addComparedFirm(driver, query, name) {
  await typeInto(await byTestId(driver, 'compare-firm-input'), query);
  const match = await driver.wait(until.elementLocated(By.xpath(`//*[@data-testid="compare-firm-match"][contains(., "${name}")]`)), TIMEOUT_MS);
  await match.click();
}

/** Waits for an element by data-testid and returns it. */
export async function byTestId(driver, testId) {
  return driver.wait(until.elementLocated(By.css(`[data-testid="${testId}"]`)), TIMEOUT_MS, `no [data-testid="${testId}"] on screen`);
}

/** Saves a screenshot of the app window to tests/e2e/artifacts/NAME.png and returns its path. */
export async function saveScreenshot(driver, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  writeFileSync(path, Buffer.from(await driver.takeScreenshot(), 'base64'));
  return path;
}

function waitForPort(port) {
  const deadline = Date.now() + TIMEOUT_MS;
  return new Promise((resolveReady, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolveReady();
      });
      socket.on('error', () => {
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStopped) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStopped();
    });
    child.kill('SIGTERM');
  });
}

export { By, Key, until };
