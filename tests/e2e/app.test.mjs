// End-to-end: the real Rebound window, launched by tauri-driver and driven
// through WebKitWebDriver under Xvfb. Clicks what a person clicks and saves a
// screenshot of each result under target/e2e-screenshots/.
//
// Every run starts from an empty REBOUND_HOME, so the app goes through its
// first run: it builds the default workspace with demo data. The harness
// (tests/e2e/harness.mjs) starts the app; other areas have their own files.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  assert,
  By,
  Key,
  byTestId,
  choose,
  click,
  dropFiles,
  driver,
  find,
  gone,
  home,
  relaunch,
  root,
  screenshot,
  shots,
  step,
  textOf,
  type,
  useApp,
  visibleText,
} from "./harness.mjs";

useApp({ waitForDemo: false });

step("first run builds the demo workspace and shows a populated dashboard", async () => {
  // The first run shows progress while the default workspace is built.
  await find("app-shell", 60_000);
  await find("kpi-people", 240_000);
  await gone("job-progress");
  assert.match(await textOf("kpi-people"), /20,000/);
  assert.equal(await textOf("workspace-name"), "Default");
  assert.match(await textOf("kpi-revenue"), /\$[\d,]+/);
  const chart = await find("revenue-chart");
  assert.match(await chart.getAttribute("src"), /^data:image\/svg\+xml/);
  const productRows = await driver.findElements(By.css('[data-testid="top-products"] tbody tr'));
  assert.ok(productRows.length >= 5, `top products: ${productRows.length}`);
  const campaignRows = await driver.findElements(By.css('[data-testid="campaigns"] tbody tr'));
  assert.equal(campaignRows.length, 7);
  assert.match(await textOf("campaigns"), /Meta DPA · Viewed, not bought/);
  await screenshot("01-dashboard");
});

step("every section is visited; the ones not yet available cannot be opened", async () => {
  await click("nav-data");
  await find("data-tables");
  assert.match(await textOf("data-tables"), /People\s+One row per person in your event logs, orders and contact lists, stitched across their devices and ids\.\s+20,000/);
  await screenshot("02-data");

  // Sections whose capability has not landed say so and do not open.
  for (const item of await driver.findElements(By.css('[data-testid^="nav-"][aria-disabled="true"]'))) {
    assert.match(await visibleText(item), /Not yet available/);
    await item.click();
    await find("data"); // still on Data: nothing fake opened
  }

  await click("nav-experiments");
  await find("experiments");

  await click("nav-settings");
  await find("settings");
  await screenshot("03-settings");

  await click("nav-dashboard");
  await find("kpi-people");
});

step("dark theme is applied to the whole window and remembered in settings", async () => {
  await click("nav-settings");
  await click("theme-dark");
  await driver.wait(async () => (await driver.executeScript("return document.documentElement.dataset.theme")) === "dark", 5_000);
  await click("nav-dashboard");
  await find("revenue-chart");
  await screenshot("04-dashboard-dark");
  await click("nav-settings");
  await click("theme-light");
  await driver.wait(async () => (await driver.executeScript("return document.documentElement.dataset.theme")) === "light", 5_000);
});

step("keyboard: Ctrl+digit opens sections, arrows move through the sidebar", async () => {
  await driver.actions().keyDown(Key.CONTROL).sendKeys("2").keyUp(Key.CONTROL).perform();
  await find("data");
  // Down the sidebar, one section after the other, and round to the top.
  const order = ["data", "segments", "creatives", "sequences", "campaigns", "experiments", "settings", "dashboard"];
  for (let i = 0; i + 1 < order.length; i++) {
    await (await find(`nav-${order[i]}`)).sendKeys(Key.ARROW_DOWN);
    await find(order[i + 1]);
  }
  await driver.actions().keyDown(Key.CONTROL).sendKeys("8").keyUp(Key.CONTROL).perform();
  await find("settings");
  await driver.actions().keyDown(Key.CONTROL).sendKeys("1").keyUp(Key.CONTROL).perform();
  await find("dashboard");
});

/** The live count once the answer to the latest edit has arrived; null while one is pending. */
async function liveCount() {
  const card = await find("live-count-card");
  if ((await card.getAttribute("aria-busy")) !== "false") return null;
  const text = await textOf("live-count");
  return /^[\d,]+$/.test(text) ? Number(text.replace(/,/g, "")) : null;
}

step("segments: build cart abandoners by clicking, see the count, open a person, save it", async () => {
  await click("nav-segments");
  await find("segments");
  await find("segment-template");
  await click("new-segment");
  await find("segment-editor");
  // A blank segment matches everyone: the live count is the whole universe.
  await driver.wait(async () => (await liveCount()) === 20_000, 30_000, "everyone, before any rule");

  // Added to cart, not followed by a purchase within 2 days, in the last 14 days.
  await choose("add-rule", "not_followed_by");
  const rule = await find("rule");
  assert.equal(await rule.getAttribute("data-kind"), "not_followed_by");
  await choose("first-event", "add_to_cart");
  await choose("then-event", "purchase");
  await type("within-n", "2");
  await choose("within-unit", "days");
  await type("window-days", "14");
  // ...and no purchase at all in those 14 days.
  await choose("add-rule", "did_not");
  const rules = await driver.findElements(byTestId("rule"));
  assert.equal(rules.length, 2);
  await choose(await rules[1].findElement(byTestId("event")), "purchase");
  // Event names read in words; a new not-followed-by rule holds "and none since" (the window's end).
  assert.match(await textOf("rule-sentence"), /“Added to cart” not followed by “Purchased” within 2 days and none since, in the last 14 days\) and \(did not do “Purchased” in the last 30 days/);

  await driver.wait(async () => {
    const n = await liveCount();
    return n !== null && n > 0 && n < 20_000;
  }, 30_000, "a live count below the whole universe");
  const count = await liveCount();
  await find("sample-person");
  await find("breakdown-devices");
  assert.match(await textOf("breakdown-devices"), /mobile|desktop/);
  await screenshot("segments-1-builder");

  await click("sample-person");
  await find("person-timeline");
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="timeline-events"] tr'))).length > 0, 20_000);
  const timeline = await textOf("person-timeline");
  assert.match(timeline, /Added to cart/, "a cart abandoner's timeline shows the cart");
  assert.match(timeline, /Devices/i);
  await screenshot("segments-2-person-timeline");
  await click("person-close");
  await gone("person-timeline", 5_000);

  await type("segment-name", "Cart abandoners, 2 days");
  await click("segment-save");
  await driver.wait(async () => {
    for (const item of await driver.findElements(byTestId("saved-segment"))) {
      if ((await visibleText(item)).includes("Cart abandoners, 2 days")) return true;
    }
    return false;
  }, 20_000, "the saved segment in the list");
  assert.equal(await liveCount(), count, "saving does not change who is in it");

  // A remarketing template: people without e-mail consent are left out, and counted.
  await driver.executeScript("document.querySelector('[data-key=\"lapsed_customers\"]').scrollIntoView()");
  await (await driver.findElement(By.css('[data-key="lapsed_customers"]'))).click();
  await driver.wait(async () => (await driver.findElements(byTestId("left-out"))).length > 0, 30_000, "the consent line");
  assert.match(await textOf("left-out"), /[\d,]+ left out for lack of e-mail consent \(of [\d,]+ matched\)/);
  await click("segment-save");
  await find("overlap", 30_000);
  await click("membership-show");
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="membership"] img'))).length > 0, 120_000, "the membership chart");
  await driver.executeScript("document.querySelector('[data-testid=\"segments\"]').scrollIntoView()");
  await screenshot("segments-3-remarketing");
  await driver.executeScript("document.querySelector('[data-testid=\"membership\"]').scrollIntoView()");
  await screenshot("segments-3b-membership-overlap");
  await driver.executeScript("document.querySelector('[data-testid=\"segments\"]').scrollIntoView()");

  await click("nav-settings");
  await click("theme-dark");
  await click("nav-segments");
  await click("saved-segment");
  await driver.wait(async () => (await liveCount()) !== null, 30_000);
  await find("sample-person");
  await screenshot("segments-4-dark");
  await click("sample-person");
  await find("timeline-events");
  await screenshot("segments-5-person-timeline-dark");
  await click("person-close");
  await click("nav-settings");
  await click("theme-light");
  await click("nav-dashboard");
  await find("kpi-people");
});

step("loading the demo workspace shows progress and can be cancelled", async () => {
  await click("workspace-switcher");
  await click("menu-demo");
  await find("job-progress");
  await click("job-cancel");
  await gone("job-progress");
  assert.equal((await driver.findElements(byTestId("error-notice"))).length, 0, "a cancel is not an error");
  assert.equal(await textOf("workspace-name"), "Default", "cancel keeps the open workspace");

  await click("workspace-switcher");
  await click("menu-demo");
  await find("job-progress");
  const bar = await driver.findElement(By.css('[data-testid="job-progress"] [role="progressbar"]'));
  await driver.wait(async () => Number(await bar.getAttribute("aria-valuenow")) >= 10, 60_000);
  assert.match(await textOf("job-progress"), /of 20,000 people/);
  await screenshot("05-demo-progress");
  await gone("job-progress");
  await driver.wait(async () => (await textOf("workspace-name")) === "Demo", 20_000);
  await find("kpi-people");
  assert.match(await textOf("kpi-people"), /20,000/);
});

step("the demo A/B test reads as a verdict with caveats, and the planner sizes the next test", async () => {
  await click("nav-experiments");
  await click("experiment-item");
  await find("experiment-verdict");
  const headline = await textOf("verdict-headline");
  assert.match(headline, /You left something behind|10% off/);
  const rows = await driver.findElements(By.css('[data-testid="experiment-variants"] tbody tr'));
  assert.equal(rows.length, 2);
  assert.match(await textOf("experiment-variants"), /Control/);
  await find("forest-plot");
  await screenshot("10-experiment");

  await click("show-formulas");
  assert.match(await textOf("formulas"), /Welch/);

  // The planner starts from the workspace's own history, then answers as the person types.
  const baseline = await find("planner-baseline");
  assert.notEqual(await baseline.getAttribute("value"), "5", "baseline comes from the workspace");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", await find("planner"));
  const before = await textOf("planner-result");
  await type("planner-mde", "20");
  await driver.wait(async () => (await textOf("planner-result")) !== before, 10_000);
  assert.match(await textOf("planner-result"), /people per variant, [\d,]+ in all, about [\d,]+ days/);
  await screenshot("11-planner");

  // Results from another tool, typed in by hand, get the same analysis.
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("figures-by-hand"));
  await type("figure-people-0", "10000");
  await type("figure-conversions-0", "1000");
  await type("figure-people-1", "10000");
  await type("figure-conversions-1", "1150");
  await click("figures-analyse");
  const result = await find("figures-result");
  const verdict = await visibleText(await result.findElement(By.css('[data-testid="verdict-headline"]')));
  assert.match(verdict, /Variant B/);
  assert.match(await visibleText(await result.findElement(By.css('[data-testid="experiment-variants"]'))), /\+15\.0%/);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("figures-by-hand"));
  await screenshot("12-figures-by-hand");
});

step("create a workspace file, then open workspaces from the recent list", async () => {
  const folder = path.join(home, "Documents");
  await click("workspace-switcher");
  await click("menu-new");
  await find("new-workspace-dialog");
  await type("new-workspace-name", "Spring retargeting");
  await type("new-workspace-folder", folder);
  assert.match(await textOf("new-workspace-path"), /Spring retargeting\.rebound/);
  await screenshot("06-new-workspace-dialog");
  await click("new-workspace-create");
  await find("dashboard-empty");
  assert.equal(await textOf("workspace-name"), "Spring retargeting");
  assert.ok(existsSync(path.join(folder, "Spring retargeting.rebound")), "the workspace file is on disk");
  await screenshot("07-new-workspace-empty");

  // The same name again is refused where it was typed, with what to do.
  await click("workspace-switcher");
  await click("menu-new");
  await type("new-workspace-name", "Spring retargeting");
  await type("new-workspace-folder", folder);
  await click("new-workspace-create");
  const notice = await find("error-notice");
  assert.equal(await notice.getAttribute("data-code"), "already_exists");
  await screenshot("08-new-workspace-error");
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await gone("new-workspace-dialog", 5_000);

  // Open the default workspace from the recent list: its data is back.
  await click("workspace-switcher");
  await find("workspace-menu");
  const recent = await driver.findElements(byTestId("recent-item"));
  const names = await Promise.all(recent.map((r) => visibleText(r)));
  assert.ok(names.some((n) => n.startsWith("Default")), names.join(" | "));
  const defaultItem = recent[names.findIndex((n) => n.startsWith("Default"))];
  await defaultItem.click();
  await driver.wait(async () => (await textOf("workspace-name")) === "Default", 20_000);
  await find("kpi-people");
  assert.match(await textOf("kpi-people"), /20,000/);

  // And the new one again: still empty, still there.
  await click("workspace-switcher");
  const again = await driver.findElements(byTestId("recent-item"));
  for (const item of again) {
    if ((await item.getAttribute("data-path")).endsWith("Spring retargeting.rebound")) {
      await item.click();
      break;
    }
  }
  await find("dashboard-empty");
  assert.equal(await textOf("workspace-name"), "Spring retargeting");
  await screenshot("09-open-recent");
});

step("the window reopens at the size and place it was left at", async () => {
  // End this run of the app, then leave the window state where the app keeps
  // it (tauri-plugin-window-state's file) as a person's last session would.
  await relaunch(async () => {
    const dir = path.join(home, "xdg-config", "app.rebound.desktop");
    mkdirSync(dir, { recursive: true });
    const state = { width: 1180, height: 760, x: 40, y: 30, prev_x: 40, prev_y: 30, maximized: false, visible: true, decorated: true, fullscreen: false };
    writeFileSync(path.join(dir, ".window-state.json"), JSON.stringify({ main: state }));
  });
  await find("app-shell", 60_000);
  await find("dashboard", 60_000);
  const rect = await driver.manage().window().getRect();
  assert.equal(rect.width, 1180);
  assert.equal(rect.height, 760);
});

// Real exports from ../shared/data/exports, as a marketer would drag them in.
const exportsDir = path.resolve(root, "..", "shared", "data", "exports");
const adsReport = path.join(exportsDir, "google_ads_campaign_report_alltime_usd.csv");
const rees46 = path.join(exportsDir, "rees46_2019-Oct_head_sample.csv");

/** The rows count of one table in Data › Tables, e.g. "Campaigns". */
async function tableRows(name) {
  const rows = await driver.findElements(By.css('[data-testid="data-tables"] tbody tr'));
  for (const row of rows) {
    const cells = await row.findElements(By.css("td"));
    if ((await visibleText(cells[0])) === name) return Number((await visibleText(cells[2])).replace(/[^\d]/g, ""));
  }
  throw new Error(`no ${name} row in the Data tables`);
}

/** The history row of a file, once the Data section has loaded it. */
async function historyRow(fileName) {
  let found = null;
  await driver.wait(async () => {
    for (const row of await driver.findElements(byTestId("import-history-row"))) {
      const link = await row.findElement(By.css("button.link"));
      if ((await link.getAttribute("title")).endsWith(fileName)) {
        found = row;
        return true;
      }
    }
    return false;
  }, 10_000, `waiting for ${fileName} in the import history`);
  return found;
}

step("imports a dropped file, shows progress and the result, then undoes it", async () => {
  assert.ok(existsSync(adsReport), adsReport);
  assert.ok(existsSync(rees46), rees46);
  await click("nav-data");
  await find("data-tables");
  const campaignsBefore = await tableRows("Campaigns");
  const eventsBefore = await tableRows("Events");

  // Drop the Google Ads report: the dialog says what it is and why.
  await dropFiles([adsReport], "13-drop-overlay");
  const detected = await find("import-detected");
  await driver.wait(async () => /Google Ads report/.test(await visibleText(detected)), 20_000);
  assert.match(await visibleText(detected), /\d+% sure/);
  assert.match(await textOf("import-evidence"), /\S/);
  const format = await find("import-format");
  assert.equal(await format.getAttribute("value"), "google_ads_report");
  await driver.findElement(By.css('[data-testid="import-file"] details summary')).click();
  assert.match(await textOf("import-first-lines"), /Campaign report/);
  assert.equal((await driver.findElements(byTestId("drop-overlay"))).length, 0);
  await screenshot("13-import-inspect");

  // Import: 12 campaigns, every row accounted for.
  await click("import-start");
  const result = await find("import-result", 60_000);
  assert.equal(await result.getAttribute("data-status"), "imported");
  const resultText = await visibleText(result);
  assert.match(resultText, /stored .*\b12 campaigns/);
  const read = await textOf("fact-rows-read");
  const [, total, imported, rejected] = read.match(/^([\d,]+) = ([\d,]+) imported \+ ([\d,]+) rejected$/) ?? [];
  assert.ok(total, `rows read: ${read}`);
  const n = (s) => Number(s.replace(/,/g, ""));
  assert.equal(n(total), n(imported) + n(rejected));
  assert.equal(n(imported), 12);
  assert.match(await textOf("fact-not-data"), /^[1-9]\d* lines? of titles, headers and totals/);
  await screenshot("15-import-result");
  await click("import-done");
  await gone("import-dialog", 10_000);

  // Back on Data: the history has it and the campaigns count grew by 12.
  await find("import-history");
  assert.match(await visibleText(await historyRow("google_ads_campaign_report_alltime_usd.csv")), /Imported/);
  await driver.wait(async () => (await tableRows("Campaigns")) === campaignsBefore + 12, 10_000);

  // The REES46 sample: 17,435 rows (the README counts them; the last is cut short), long enough to watch (or so fast the result comes first).
  await dropFiles([rees46]);
  await driver.wait(async () => /REES46/.test(await textOf("import-detected")), 20_000);

  // The column-mapping step, opened by calling the file a generic CSV, then left.
  await (await find("import-format")).findElement(By.css('option[value="generic_csv"]')).click();
  await find("import-mapping", 10_000);
  assert.match(await textOf("import-preview"), /event_time/);
  assert.equal(await (await find("mapping-timestamp")).getAttribute("value"), "event_time", "suggested by name");
  await screenshot("14-import-mapping");
  await click("mapping-cancel");
  await gone("import-mapping", 5_000);
  assert.equal(await (await find("import-format")).getAttribute("value"), "rees46_events");
  await click("import-start");
  // Progress is polled until the result shows; the picture is taken at once
  // (no settling pause), since a small file can take about a second.
  let progressSeen = "";
  await driver.wait(async () => {
    const progress = await driver.findElements(byTestId("import-progress"));
    if (progress.length > 0 && !progressSeen) {
      const figures = await visibleText(progress[0]).catch(() => "");
      if (/[1-9][\d,]* rows\b/.test(figures) && /of [\d.]+ MB/.test(figures)) {
        progressSeen = figures;
        writeFileSync(path.join(shots, "16-import-progress.png"), await driver.takeScreenshot(), "base64");
      }
    }
    return (await driver.findElements(byTestId("import-result"))).length > 0;
  }, 240_000, "waiting for the REES46 import to finish");
  console.log(`REES46 import progress: ${progressSeen ? progressSeen.replace(/\s+/g, " ") : "not caught (the result came first)"}`);
  const reesResult = await find("import-result");
  assert.equal(await reesResult.getAttribute("data-status"), "imported");
  assert.equal(await textOf("fact-rows-read"), "17,435 = 17,434 imported + 1 rejected");
  const rejections = await visibleText(await reesResult.findElement(byTestId("rejections")));
  assert.match(rejections, /17,436/, "the rejected row names its line");
  await screenshot("16-import-result-rees46");
  await click("import-done");
  await gone("import-dialog", 10_000);
  await driver.wait(async () => (await tableRows("Events")) > eventsBefore, 10_000);
  const eventsAfter = await tableRows("Events");

  // A history row opens its details, with its rejected rows.
  const reesRow = await historyRow("rees46_2019-Oct_head_sample.csv");
  await reesRow.findElement(By.css("button.link")).click();
  const details = await find("import-details");
  assert.match(await visibleText(details), /17,434/);
  await find("all-rejections");

  // Undo the Google Ads import: confirmed first, then listed as undone, counts back.
  const adsRow = await historyRow("google_ads_campaign_report_alltime_usd.csv");
  await adsRow.findElement(byTestId("import-undo")).click();
  const confirm = await find("undo-confirm");
  assert.match(await visibleText(confirm), /Undo import of google_ads_campaign_report_alltime_usd\.csv\? Its 12 rows will be removed/);
  await click("undo-confirm-button");
  await gone("undo-confirm", 20_000);
  await driver.wait(async () => /Undone/.test(await visibleText(await historyRow("google_ads_campaign_report_alltime_usd.csv"))), 20_000);
  assert.equal((await (await historyRow("google_ads_campaign_report_alltime_usd.csv")).findElements(byTestId("import-undo"))).length, 0);
  await driver.wait(async () => (await tableRows("Campaigns")) === campaignsBefore, 10_000);
  assert.equal(await tableRows("Events"), eventsAfter, "the other import stays");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("import-history-card"));
  await screenshot("17-import-history-undone");

  // The same in the dark theme, with a history row's details open.
  await click("nav-settings");
  await click("theme-dark");
  await click("nav-data");
  await (await historyRow("rees46_2019-Oct_head_sample.csv")).findElement(By.css("button.link")).click();
  await find("import-details");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("import-history-card"));
  await screenshot("18-import-history-dark");
  await click("nav-settings");
  await click("theme-light");
});
