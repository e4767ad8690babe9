// A marketer's own exports, not the demo: a new empty workspace, six real
// export files dropped at once (../shared/data/exports), then every section
// (Dashboard, Campaigns, Data › Reports, Segments, Creatives, Experiments,
// Sequences, the campaign wizard) reads as it should on that data, with
// figures computed here from the files, and nothing spilling out of a card at
// the default window size.

import fs from "node:fs";
import path from "node:path";
import {
  assert,
  By,
  byTestId,
  choose,
  click,
  driver,
  dropFiles,
  exportsDir,
  find,
  gone,
  home,
  screenshot,
  step,
  textOf,
  type,
  visibleText,
} from "./harness.mjs";
import { useApp } from "./harness.mjs";

useApp();

/** Next is enabled once the backend has checked the current draft. */
async function next() {
  const button = await find("wizard-next");
  await driver.wait(async () => button.isEnabled(), 20_000, "Next to be enabled");
  await button.click();
}

const files = [
  "google_ads_campaign_report_alltime_usd.csv",
  "meta_ads_manager_export_dirty_ab_test.csv",
  "rees46_2019-Oct_head_sample.csv",
  "shopify_orders_export_devstore_redacted.csv",
  "google_merchant_center_feed_tapgiving.tsv",
  "ga4_report_pages_and_screens_buysheds_13col.csv",
].map((f) => path.join(exportsDir, f));

step("an empty workspace offers the user's own exports before the demo", async () => {
  await click("workspace-switcher");
  await click("menu-new");
  await find("new-workspace-dialog");
  await type("new-workspace-name", "Own shop");
  await type("new-workspace-folder", path.join(home, "Documents"));
  await click("new-workspace-create");
  const empty = await find("dashboard-empty");
  const buttons = await empty.findElements(By.css("button"));
  assert.match(await buttons[0].getText(), /Import your exports/);
  assert.equal((await driver.findElements(byTestId("sample-data"))).length, 0);
  await screenshot("own-01-empty");
});

step("six real exports dropped at once are imported", async () => {
  await dropFiles(files);
  await driver.wait(async () => {
    const b = await find("import-start");
    return b.isEnabled();
  }, 60_000);
  await click("import-start");
  await find("import-done", 180_000);
  await screenshot("own-02-imported");
  await click("import-done");
  await gone("import-dialog", 10_000);
});

step("the Dashboard names the data's period, keeps currencies apart and invents no metric", async () => {
  await click("nav-dashboard");
  await find("kpi-people", 30_000);
  // Events from 1 Oct 2019 (REES46) to the Shopify orders of 6 Dec 2025.
  assert.match(await textOf("dashboard-period"), /data from .*2019.*2025/);
  assert.equal((await driver.findElements(byTestId("sample-data"))).length, 0);
  // 214 REES46 purchases plus the Shopify orders; buyers include both.
  assert.match(await textOf("kpi-orders"), /\d/);
  const currencies = await visibleText(await find("currency-switch"));
  assert.match(currencies, /USD/);
  assert.match(currencies, /INR/);
  // The Shopify orders in rupees come first (the most revenue), on their own day.
  assert.match(await textOf("kpi-revenue"), /₹/);
  assert.match(await textOf("kpi-revenue"), /on Dec 6, 2025/);
  await screenshot("own-03-dashboard-inr");
  await (await find("currency-switch")).findElement(By.xpath(".//button[normalize-space()='USD']")).click();
  await driver.wait(async () => /\$/.test(await textOf("kpi-revenue")), 5_000);
  assert.doesNotMatch(await textOf("kpi-revenue"), /₹/);
  assert.match(await textOf("kpi-revenue"), /Oct 1, 2019/);
  // REES46 products: category codes read as names, same-titled products told apart.
  const products = await textOf("top-products");
  assert.match(products, /Electronics › Smartphone/);
  assert.doesNotMatch(products, /electronics\.smartphone|\b\d{19}\b/);
  const titles = (await driver.findElements(By.css('[data-testid="top-products"] .cell-title')));
  const names = await Promise.all(titles.map((t) => t.getText()));
  assert.ok(names.length > 1);
  assert.equal(new Set(names).size, names.length, `distinct product names: ${names.join(" | ")}`);
  await screenshot("own-03-dashboard-usd");

  // Campaigns: the Meta traffic report has no revenue, so no ROAS; the
  // all-time Google Ads report shows with its period named.
  const table = await visibleText(await find("campaigns"));
  assert.match(table, /not in this report/);
  assert.doesNotMatch(table, /\b0\.00×/);
  assert.match(table, /All time/i);
  assert.doesNotMatch(table, /Retargeting/);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("campaigns"));
  await screenshot("own-04-dashboard-campaigns");
});

step("a Meta campaign whose results are link clicks shows no conversions or ROAS", async () => {
  await click("nav-campaigns");
  await find("campaigns");
  // The list fills in after the section opens: wait for the Meta campaign.
  const traffic = await driver.wait(async () => {
    for (const item of await driver.findElements(By.css('li > button[data-testid^="campaign-"]'))) {
      if (/Traffic/.test(await item.getText())) return item;
    }
    return null;
  }, 20_000, "a Meta campaign typed Traffic is listed");
  await traffic.click();
  assert.match(await textOf("campaign-type"), /Traffic/);
  const conversions = await find("kpi-conversions", 20_000);
  assert.match(await visibleText(conversions), /not in this report/);
  assert.match(await textOf("kpi-revenue"), /not in this report/);
  assert.doesNotMatch(await textOf("kpi-revenue"), /\$0\.00|0\.00×|-100/);
  await screenshot("own-05-campaign-traffic");
});

// Figures computed here from the files themselves, not copied from the app.
const rees46 = fs
  .readFileSync(path.join(exportsDir, "rees46_2019-Oct_head_sample.csv"), "utf8")
  .split("\n")
  .slice(1)
  .map((l) => l.replace(/\r$/, "").split(","))
  .filter((f) => f.length === 9)
  .map((f) => ({ at: Date.parse(f[0].replace(" UTC", "Z").replace(" ", "T")), kind: f[1], user: f[7] }));

/** Cart abandoners as the template describes them, at `asOf` (ms). */
function abandonersAt(asOf) {
  const byUser = new Map();
  for (const e of rees46) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const day = 86_400_000;
  let n = 0;
  for (const events of byUser.values()) {
    const abandoned = events.some(
      (c) =>
        c.kind === "cart" && c.at >= asOf - 14 * day && c.at + day < asOf &&
        !events.some((b) => b.kind === "purchase" && b.at > c.at && b.at < asOf),
    );
    if (abandoned) n += 1;
  }
  return n;
}

const ga4Lines = fs
  .readFileSync(path.join(exportsDir, "ga4_report_pages_and_screens_buysheds_13col.csv"), "utf8")
  .split("\n")
  .map((l) => l.replace(/\r$/, ""))
  .filter((l) => l && !l.startsWith("#"));
const ga4Rows = ga4Lines.slice(1).map((l) => l.split(","));
const ga4Views = ga4Rows.reduce((sum, r) => sum + Number(r[1]), 0);

step("Data › Reports shows the GA4 pages report with its own columns and totals", async () => {
  await click("nav-data");
  const reports = await find("reports", 30_000);
  const ga4 = await driver.wait(async () => {
    for (const row of await reports.findElements(byTestId("report-row"))) {
      if (/GA4/.test(await row.getAttribute("textContent"))) return row;
    }
    return null;
  }, 20_000, "the GA4 report listed");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", ga4);
  assert.match(await ga4.getAttribute("textContent"), new RegExp(`Jan 1, 2025.*Dec 31, 2025[\\s\\S]*${ga4Rows.length.toLocaleString("en-US")}`));
  await ga4.findElement(By.css("button")).click();
  await find("report-table", 20_000);
  const header = await visibleText(await driver.findElement(By.css('[data-testid="report-table"] thead')));
  assert.match(header, /Page path and screen class\s+Views\s+Active users/);
  assert.match(await textOf("report-totals"), new RegExp(ga4Views.toLocaleString("en-US")));
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("report-detail"));
  await screenshot("own-06-data-reports");
});

step("Segments: cart abandoners say where their people are and count them on that day", async () => {
  await click("nav-segments");
  const template = await driver.wait(async () => {
    for (const t of await driver.findElements(byTestId("segment-template"))) {
      if ((await t.getAttribute("data-key")) === "cart_abandoners") return t;
    }
    return null;
  }, 20_000, "the cart abandoners template");
  await template.click();
  const expected = abandonersAt(Date.parse("2019-10-03T00:00:00Z"));
  assert.equal(abandonersAt(Date.parse("2019-10-02T00:00:00Z")), 0);
  const hint = await find("zero-hint", 30_000);
  assert.match(await visibleText(hint), new RegExp(`0 at the end of Oct 1, 2019: .*end on Oct 1, 2019; ${expected} at the end of Oct 2, 2019`));
  await screenshot("own-07-segment-zero");
  await click("zero-use-day");
  await driver.wait(async () => (await textOf("live-count")) === String(expected), 30_000, `${expected} cart abandoners`);
  await screenshot("own-08-segment-counted");
  await click("segment-save");
  await driver.wait(async () => (await driver.findElements(byTestId("saved-segment"))).length > 0, 20_000, "the saved segment");
});

step("Creatives preview people from the imported log with a neutral starter template", async () => {
  await click("nav-creatives");
  await find("creative-templates", 30_000);
  await driver.wait(async () => /Starter · Still thinking/.test(await textOf("creative-templates")), 30_000, "the starter templates");
  const names = await textOf("creative-templates");
  assert.doesNotMatch(names, /Aperture/);
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="creative-person"] option'))).length > 0, 30_000, "people to preview");
  const first = await driver.findElement(By.css('[data-testid="creative-person"] option'));
  assert.match(await first.getText(), /Carted .*, not bought/);
  await find("creative-preview-image", 30_000);
  await screenshot("own-09-creative-preview");
});

step("Experiments: the planner reads traffic from the event log", async () => {
  await click("nav-experiments");
  // The last events are the Shopify orders: the 30 days to their day.
  const source = await textOf("planner-source");
  assert.match(source, /^From the event log \(no visits are recorded\), the 30 days to 2025-12-06: [1-9]\d* people were active/);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("planner"));
  await screenshot("own-10-planner");
});

/** One CSV line's fields, with quoted fields (the Meta export quotes some). */
function csvFields(line) {
  const out = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

step("Experiments: the Meta export's ad sets read as a test of impressions, with no ratio alarm", async () => {
  const [header, ...lines] = fs
    .readFileSync(path.join(exportsDir, "meta_ads_manager_export_dirty_ab_test.csv"), "utf8")
    .replace(/^\uFEFF/, "")
    .split("\n")
    .map((l) => l.replace(/\r$/, ""))
    .filter(Boolean)
    .map(csvFields);
  const col = (name) => header.indexOf(name);
  const rows = lines.filter((f) => f.length === header.length);
  const impressions = rows.reduce((sum, f) => sum + Number(f[col("Impressions")] || 0), 0);
  const adSets = new Set(rows.map((f) => f[col("Ad Set Name")]));

  const report = await find("split-report");
  const meta = await report.findElement(By.xpath(".//option[contains(., 'meta_ads_manager_export_dirty_ab_test')]"));
  await choose(report, await meta.getAttribute("value"));
  const card = await find("split-test");
  await driver.wait(async () => (await card.findElements(By.css("tbody tr"))).length === adSets.size, 20_000, "one row per ad set");
  await click("split-test-analyse");
  const variants = await find("experiment-variants", 30_000);
  assert.match(await visibleText(await variants.findElement(By.css("thead"))), /Impressions/i);
  const cells = await variants.findElements(By.css("tbody tr td:nth-child(2)"));
  const shown = await Promise.all(cells.map(async (c) => Number((await c.getText()).replace(/,/g, ""))));
  assert.equal(shown.length, adSets.size);
  assert.equal(shown.reduce((a, b) => a + b, 0), impressions);
  // Ad sets are what Meta delivered, not a planned split: no mismatch alarm.
  await find("srm-not-checked");
  assert.doesNotMatch(await textOf("experiment-verdict"), /broken|mismatch/i);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("experiment-verdict"));
  await screenshot("own-10b-meta-split-test");
});

step("Sequences: the abandoned-cart flow's dry run covers the 30 days to the last cart", async () => {
  await click("nav-sequences");
  await click("flow-template-abandoned_cart");
  await click("tab-dry-run");
  // REES46's carts end on 1 Oct 2019: the period is the 30 days to that day.
  await driver.wait(async () => (await (await find("dry-run-to")).getAttribute("value")) === "2019-10-01", 30_000, "the period to the last cart");
  assert.equal(await (await find("dry-run-from")).getAttribute("value"), "2019-09-02");
  await click("run-dry-run");
  await find("dry-run-result", 120_000);
  const from = Date.parse("2019-09-02T00:00:00Z");
  const to = Date.parse("2019-10-02T00:00:00Z");
  const carted = new Set(rees46.filter((e) => e.kind === "cart" && e.at >= from && e.at < to).map((e) => e.user));
  assert.ok(carted.size > 0);
  assert.equal(Number((await textOf("dry-run-entered")).replace(/,/g, "")), carted.size);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("dry-run"));
  await screenshot("own-11-sequence-dry-run");
  await click("tab-preview");
  // The preview's person is one of those carts: no first name in the log, the cart's product named.
  await driver.wait(async () => /you left something behind$/.test(await textOf("preview-subject")), 30_000, "the e-mail preview");
  assert.equal(await textOf("preview-subject"), "Hi, you left something behind");
  // REES46 titles are lower case ("samsung tv"): the sentence still starts with a capital.
  assert.match(await textOf("preview-preheader"), /^[A-Z].* is still waiting for you\.$/);
  assert.doesNotMatch(await textOf("preview-preheader"), /^Your cart is/);
  await screenshot("own-12-sequence-preview");
});

step("Campaigns: the wizard's reach is the segment's, on the day that has its people", async () => {
  await click("nav-campaigns");
  await click("new-campaign");
  await find("wizard-step-goal");
  await type("campaign-name", "Cart rescue ads");
  await click("goal-retargeting");
  await next();
  const segment = await find("campaign-segment");
  const option = await segment.findElement(By.xpath(".//option[contains(., 'Cart abandoners')]"));
  await choose("campaign-segment", await option.getAttribute("value"));
  const reach = await find("audience-reach", 60_000);
  const expected = abandonersAt(Date.parse("2019-10-03T00:00:00Z"));
  // Empty at the end of the carts' last day; counted at the end of the next.
  assert.match(await textOf("zero-hint"), new RegExp(`^0 at the end of Oct 1, 2019: .*end on Oct 1, 2019; ${expected} at the end of Oct 2, 2019`));
  assert.equal((await driver.findElements(byTestId("zero-use-day"))).length, 0);
  assert.match(await textOf("audience-reach-moment"), /at the end of Oct 2, 2019/);
  const rows = await reach.findElements(By.css("tbody tr"));
  assert.ok(rows.length > 0);
  for (const row of rows) {
    const cells = await row.findElements(By.css("td"));
    assert.equal(await visibleText(cells[1]), String(expected));
  }
  await screenshot("own-13-wizard-audience");
  await next();
  await click("channel-meta_ads");
  await next();
  await find("wizard-step-content");
  await next();
  await find("wizard-step-budget_schedule");
  await next();
  // The review counts the same people on the same day.
  await driver.wait(async () => /Cart abandoners/.test(await textOf("campaign-review")), 60_000, "the review");
  // REES46 records no ads consent, and the Meta report's results are link
  // clicks: nothing is spent on no one, and no conversion is projected.
  await driver.wait(async () => /no one in the audience can be reached on Meta Ads/.test(await textOf("campaign-review")), 60_000, "the projection says why nothing is spent");
  assert.equal(await textOf("projected-conversions"), "—");
  await screenshot("own-14-wizard-review");
  await click("save-draft");
  await driver.wait(async () => (await textOf("campaign-title")) === "Cart rescue ads", 20_000, "the saved draft");
  await screenshot("own-15-campaign-draft");
});
