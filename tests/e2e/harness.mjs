// The end-to-end harness every tests/e2e/*.test.mjs file shares: it starts
// tauri-driver on a free port, launches the real Rebound window from an empty
// REBOUND_HOME (so the app builds its default demo workspace on first run),
// and offers the few helpers a test needs to click and read like a person.
// `useApp()` registers the before/after hooks; call it once per test file.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Builder, By, Capabilities, Key, until } from "selenium-webdriver";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const shots = path.join(root, "target", "e2e-screenshots");
/** What tauri-driver, WebKitWebDriver and the app print, one file per test file. */
const logs = path.join(root, "target", "e2e-logs");
const application =
  process.env.REBOUND_APP_BINARY ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "debug", "rebound-app");
const tauriDriver = [path.join(homedir(), ".cargo", "bin", "tauri-driver"), "/usr/local/bin/tauri-driver"].find(existsSync) ?? "tauri-driver";

let driverProcess;
let driverLog;
/** The WebDriver session of the running app (reassigned by relaunch()). */
export let driver;
/** The REBOUND_HOME of this run (a fresh temporary folder). */
export let home;
let server;

/** A port nobody listens on, so parallel runs never share a driver. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

export const byTestId = (id) => By.css(`[data-testid="${id}"]`);

export async function find(id, timeout = 20_000) {
  return driver.wait(until.elementLocated(byTestId(id)), timeout, `waiting for ${id}`);
}

export async function click(id) {
  const element = await find(id);
  await driver.wait(until.elementIsVisible(element), 10_000);
  // As a user does: a button that is still getting ready is clicked once it is.
  await driver.wait(until.elementIsEnabled(element), 10_000, `waiting for ${id} to be enabled`);
  await element.click();
}

export async function gone(id, timeout = 120_000) {
  await driver.wait(
    async () => {
      try {
        return (await driver.findElements(byTestId(id))).length === 0;
      } catch (error) {
        // The element went away while WebKit was looking at it: look again.
        if (error.name === "StaleElementReferenceError") return false;
        throw error;
      }
    },
    timeout,
    `waiting for ${id} to close`,
  );
}

/** The text a person sees in an element (innerText: cells separated, hidden parts left out). */
export async function textOf(id) {
  // A re-render between finding the element and reading it replaces the node:
  // read the new one, as the person would.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await visibleText(await find(id));
    } catch (e) {
      if (e?.name !== "StaleElementReferenceError" || attempt >= 5) throw e;
    }
  }
}

export async function visibleText(element) {
  return (await driver.executeScript("return arguments[0].innerText", element)).trim();
}

/**
 * Saves the window as `target/e2e-screenshots/<name>.png`, then checks that
 * nothing on the screen spills out of its card at the window's (default)
 * size: every screen a test looks at is held to it.
 */
export async function screenshot(name) {
  // Let fonts, images and transitions settle (and, on a busy 2-core machine,
  // the compositor catch up) before the picture.
  await driver.sleep(700);
  writeFileSync(path.join(shots, `${name}.png`), await driver.takeScreenshot(), "base64");
  assert.deepEqual(await overflowing(), [], `${name}: everything fits its card`);
}

/**
 * What spills out of its card at the window's size: every element (or run of
 * text) inside a `.card` that reaches past the card's edges, unless a scroll
 * container inside the card holds it. Returned as short descriptions; [] when
 * everything fits.
 */
export async function overflowing() {
  return driver.executeScript(() => {
    const found = [];
    const describe = (el) => {
      const id = el.closest("[data-testid]")?.getAttribute("data-testid");
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
      return `${el.tagName.toLowerCase()}${id ? ` in ${id}` : ""}: "${text}"`;
    };
    for (const card of document.querySelectorAll(".card")) {
      const box = card.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      for (const el of card.querySelectorAll("*")) {
        let held = false;
        for (let p = el.parentElement; p && p !== card; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== "visible") {
            held = true;
            break;
          }
        }
        if (held) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const style = getComputedStyle(el);
        const spills = r.right > box.right + 1 || r.left < box.left - 1;
        // A text field scrolls its own text; its box still has to fit.
        const field = el.matches("input, textarea, select");
        const textSpills = !field && style.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && el.children.length === 0;
        if (spills || textSpills) found.push(describe(el));
      }
    }
    return [...new Set(found)];
  });
}

export async function type(id, text) {
  const input = await find(id);
  await input.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
  await input.clear();
  await input.sendKeys(text);
}

/** A test that leaves a screenshot behind when it fails, to see why. */
export function step(name, body) {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await screenshot(`FAILED-${slug}`).catch(() => {});
      if (driverLog) console.error(`--- the last lines of ${driverLog}:\n${logTail(driverLog, 40)}`);
      throw error;
    }
  });
}

/**
 * Starts tauri-driver and the app before this file's tests, and stops both
 * after them. With `waitForDemo` (the default) it also waits until the first
 * run has built the demo workspace and the Dashboard shows it.
 */
export function useApp({ waitForDemo = true } = {}) {
  before(async () => {
    assert.ok(existsSync(application), `the app binary is missing: ${application} (run make app)`);
    mkdirSync(shots, { recursive: true });
    home = mkdtempSync(path.join(tmpdir(), "rebound-e2e-"));
    mkdirSync(path.join(home, "Documents"), { recursive: true });
    const env = {
      ...process.env,
      REBOUND_HOME: home,
      XDG_CONFIG_HOME: path.join(home, "xdg-config"),
      XDG_DATA_HOME: path.join(home, "xdg-data"),
      XDG_CACHE_HOME: path.join(home, "xdg-cache"),
    };
    const port = await freePort();
    const nativePort = await freePort();
    // The driver, WebKitWebDriver and the app write to a log file, never to
    // this process's stdout: a straggler holding that pipe open would keep
    // the test runner (and CI) waiting for ever. Detached, they form their own
    // process group, which after() ends as a whole.
    mkdirSync(logs, { recursive: true });
    driverLog = path.join(logs, `${path.basename(process.argv[1] ?? "e2e", ".test.mjs")}.log`);
    const log = openSync(driverLog, "w");
    driverProcess = spawn(tauriDriver, ["--port", String(port), "--native-port", String(nativePort)], {
      env,
      stdio: ["ignore", log, log],
      detached: true,
    });
    closeSync(log);
    await waitForPort(port, 30_000);
    server = `http://127.0.0.1:${port}/`;
    driver = await launch();
    if (waitForDemo) {
      await find("app-shell", 60_000);
      await find("kpi-people", 240_000);
      await gone("job-progress");
    }
  });
  after(async () => {
    if (driver) await driver.quit().catch(() => {});
    if (driverProcess) await endGroup(driverProcess.pid);
  });
}

/** Whether any process of this group is still alive. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends tauri-driver's process group: the driver, WebKitWebDriver and the app
 * it launched. SIGTERM first, SIGKILL for whatever is left after 5 s.
 */
async function endGroup(pgid) {
  for (const [signal, waitMs] of [
    ["SIGTERM", 5_000],
    ["SIGKILL", 5_000],
  ]) {
    if (!groupAlive(pgid)) return;
    try {
      process.kill(-pgid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(!groupAlive(pgid), `processes of tauri-driver's group ${pgid} survived SIGKILL`);
}

function logTail(file, lines) {
  try {
    return readFileSync(file, "utf8").split("\n").filter((line) => !line.includes("Gtk-WARNING")).slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Quits the running app and launches it again (same home, same settings). */
export async function relaunch(prepare = async () => {}) {
  await driver.quit();
  await prepare();
  driver = await launch();
}

/** Starts the app (a new WebDriver session launches it). */
async function launch() {
  const capabilities = new Capabilities();
  capabilities.setBrowserName("wry");
  capabilities.set("tauri:options", { application });
  const session = await new Builder().withCapabilities(capabilities).usingServer(server).build();
  await session.manage().setTimeouts({ implicit: 0, script: 30_000 });
  return session;
}

/** Chooses an option of the <select> with this test id (or this element) by its value, as a click would. */
export async function choose(idOrElement, value) {
  const select = typeof idOrElement === "string" ? await find(idOrElement) : idOrElement;
  await select.click();
  await select.findElement(By.css(`option[value="${value}"]`)).click();
  // Close WebKit's popup so screenshots show the chosen value.
  await driver.executeScript("document.activeElement && document.activeElement.blur()");
}

/**
 * WebDriver cannot drag from the desktop, so the test sends the events Tauri
 * itself emits to the webview for an OS drag (`tauri://drag-enter`,
 * `tauri://drag-drop`), which is what getCurrentWebview().onDragDropEvent hears.
 */
export async function dragEvent(event, paths) {
  await driver.executeScript(
    "return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: arguments[0], payload: { paths: arguments[1], position: { x: 400, y: 300 } } })",
    event,
    paths,
  );
}

/** Drops files on the window as the OS would, and waits for the import dialog. */
export async function dropFiles(paths, shot) {
  await dragEvent("tauri://drag-enter", paths);
  await find("drop-overlay", 10_000);
  if (shot) await screenshot(shot);
  await dragEvent("tauri://drag-drop", paths);
  await gone("drop-overlay", 10_000);
  await find("import-dialog", 10_000);
}

/** ../shared/data/exports, the real export files. */
export const exportsDir = path.resolve(root, "..", "shared", "data", "exports");

export { assert, By, Key, until };
