// A marketer's own exports, not the demo: a new empty workspace, six real
// export files dropped at once (../shared/data/exports), then the Dashboard
// and a campaign's dashboard read as they should on that data.

import path from "node:path";
import {
  assert,
  By,
  byTestId,
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
  const items = await driver.findElements(By.css('li > button[data-testid^="campaign-"]'));
  let opened = false;
  for (const item of items) {
    if (/Traffic/.test(await item.getText())) {
      await item.click();
      opened = true;
      break;
    }
  }
  assert.ok(opened, "a Meta campaign typed Traffic is listed");
  assert.match(await textOf("campaign-type"), /Traffic/);
  const conversions = await find("kpi-conversions", 20_000);
  assert.match(await visibleText(conversions), /not in this report/);
  assert.match(await textOf("kpi-revenue"), /not in this report/);
  assert.doesNotMatch(await textOf("kpi-revenue"), /\$0\.00|0\.00×|-100/);
  await screenshot("own-05-campaign-traffic");
});
