// Campaigns in the real window: the wizard from the first step to a saved
// campaign, an imported report attached by hand, then its dashboard (KPI
// cards with deltas, chart, sortable table, attribution, over-messaging).
// Screenshots in target/e2e-screenshots/campaigns-*.png.

import { assert, By, byTestId, choose, click, driver, find, screenshot, step, textOf, type, until, useApp, visibleText } from "./harness.mjs";

useApp();

/** Sets a React-controlled input (date pickers included) as typing would. */
async function setValue(id, value) {
  const input = await find(id);
  await driver.executeScript(
    `const el = arguments[0];
     const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
     set.call(el, arguments[1]);
     el.dispatchEvent(new Event("input", { bubbles: true }));`,
    input,
    value,
  );
}

/** Next is enabled once the backend has checked the current draft. */
async function next() {
  const button = await find("wizard-next");
  await driver.wait(async () => button.isEnabled(), 20_000, "Next to be enabled");
  await button.click();
}

async function scrollTo(id) {
  await driver.executeScript("arguments[0].scrollIntoView({ block: 'start' })", await find(id));
}

step("campaigns: a segment to aim at, saved from a template; the demo brand's creatives", async () => {
  // The Creatives section adds the demo brand's templates the first time it lists them.
  await click("nav-creatives");
  await find("creatives");
  await find("creative-template", 30_000);
  await click("nav-segments");
  await find("segments");
  const template = await driver.wait(until.elementLocated(By.css('[data-testid="segment-template"][data-key="cart_abandoners"]')), 20_000);
  await template.click();
  await find("segment-editor");
  await click("segment-save");
  await driver.wait(async () => (await driver.findElements(byTestId("saved-segment"))).length > 0, 20_000, "the saved segment");
});

step("campaigns: the list and every campaign's figures together", async () => {
  await click("nav-campaigns");
  await find("campaigns");
  await find("kpis-USD", 60_000);
  const list = await textOf("campaign-list");
  assert.match(list, /Meta DPA · Viewed, not bought/);
  assert.match(list, /Pricing page journey/);
  assert.match(await textOf("kpi-cost"), /\$/);
  assert.match(await textOf("metrics-period"), /compared with/);
  await screenshot("campaigns-1-all");
});

step("campaigns: the wizard, step by step, to a saved campaign", async () => {
  await click("new-campaign");
  await find("wizard-step-goal");
  await driver.sleep(800);
  assert.equal(await (await find("wizard-next")).isEnabled(), false, "no name yet");
  await type("campaign-name", "Cart rescue journey");
  await click("goal-journey");
  await screenshot("campaigns-2-wizard-goal");
  await next();

  const segment = await find("campaign-segment");
  const option = await segment.findElement(By.xpath(".//option[contains(., 'Cart abandoners')]"));
  await choose(segment, await option.getAttribute("value"));
  const reach = await find("audience-reach", 60_000);
  assert.match(await visibleText(reach), /Meta Ads/);
  assert.match(await visibleText(reach), /E-mail/);
  await screenshot("campaigns-3-wizard-audience");
  await next();

  await click("channel-meta_ads");
  await driver.wait(async () => /a journey combines/.test(await textOf("step-problems")), 10_000);
  await click("channel-email");
  await driver.wait(async () => (await driver.findElements(byTestId("step-problems"))).length === 0, 10_000);
  await next();

  await find("wizard-step-content");
  const creatives = await driver.findElements(By.css('[data-testid^="creative-"]'));
  assert.ok(creatives.length > 0, "the demo brand's creatives are offered");
  await creatives[0].click();
  await type("messages-per-person", "2");
  await next();

  await find("wizard-step-budget_schedule");
  await type("budget-amount", "40");
  await setValue("starts-on", "2026-12-01");
  await setValue("ends-on", "2026-12-21");
  await screenshot("campaigns-4-wizard-budget");
  await click("wizard-back");
  await find("wizard-step-content");
  await next();
  await next();

  // Reach is counted per channel with its consent: on a debug build this takes a few seconds.
  await driver.wait(async () => /Projected results, 21 days/i.test(await textOf("campaign-review")), 90_000, "the projection");
  assert.match(await textOf("projection"), /Meta Ads[\s\S]*E-mail/);
  assert.notEqual(await textOf("projected-conversions"), "—");
  await screenshot("campaigns-5-wizard-review");
  const activate = await find("save-active");
  await driver.wait(async () => activate.isEnabled(), 30_000, "everything a live campaign needs");
  await activate.click();
  assert.equal(await textOf("campaign-title"), "Cart rescue journey");
  assert.match(await textOf("campaign-list"), /Cart rescue journey/);
  assert.match(await textOf("campaign-head"), /audience: Cart abandoners/);
  assert.equal(await textOf("campaign-status"), "active");
});

step("campaigns: an imported report attached by hand, then the campaign's dashboard", async () => {
  // Nothing is attached yet: no figures, and the dashboard says so.
  await find("metrics-empty", 30_000);
  const select = await find("attach-select");
  const option = await select.findElement(By.xpath(".//option[contains(., 'Meta DPA')]"));
  await choose(select, await option.getAttribute("value"));
  await click("attach-button");
  await driver.wait(async () => /Meta DPA · Viewed, not bought/.test(await textOf("attached-reports")), 20_000);
  await find("kpis-USD", 60_000);
  await find("campaign-chart");
  assert.match(await textOf("kpi-clicks"), /CTR/);
  await screenshot("campaigns-6-dashboard");

  await click("by-week");
  await driver.wait(async () => /week of/.test(await textOf("metrics-table")), 20_000);
  await scrollTo("metrics-table");
  const firstRow = async () => (await visibleText(await (await find("metrics-table")).findElement(By.css("tbody tr")))).split("\t")[0];
  await (await find("metrics-table-sort-cost")).click();
  const before = await firstRow();
  await (await find("metrics-table-sort-cost")).click();
  await driver.wait(async () => (await firstRow()) !== before, 10_000, "the table sorted by spend the other way");
  await screenshot("campaigns-7-weekly-table");

  await scrollTo("attribution");
  const attribution = await textOf("attribution-table");
  assert.match(attribution, /Last touch[\s\S]*First touch[\s\S]*Linear[\s\S]*Position-based/i);
  assert.match(attribution, /No campaign touch/);
  await screenshot("campaigns-8-attribution");
  await scrollTo("over-messaging");
  const messaging = await textOf("over-messaging");
  // The caps are the sequences' sending rules (e-mail 1 a day, 3 in 7 days by default).
  assert.match(messaging, /caps from the sending rules in Sequences/);
  assert.match(messaging, /at most 3 per 7 days/);
  await screenshot("campaigns-9-over-messaging");
});
