// End-to-end: tests on things in the workspace. A segment (here a template)
// is split into a holdout and a treatment by clicking, stored as an
// experiment, and its verdict is read with the planned split checked.

import path from "node:path";
import {
  assert,
  By,
  Key,
  byTestId,
  choose,
  click,
  driver,
  dropFiles,
  exportsDir,
  find,
  screenshot,
  step,
  textOf,
  type,
  useApp,
  visibleText,
} from "./harness.mjs";

useApp();

step("experiments: a holdout test on a segment is split, stored and analysed", async () => {
  await click("nav-experiments");
  await find("experiments");
  const card = await find("audience-test");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", card);
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="audience-segment"] option'))).length > 0, 20_000, "segments to choose from");
  await choose("audience-segment", "template:product_viewers_without_purchase");
  await choose("audience-outcome", "purchase");
  await type("audience-name", "Viewers holdout, 20/80");
  const weights = await driver.findElements(By.css('[data-testid="audience-arms"] input[type="number"]'));
  for (const [input, value] of [[weights[0], "20"], [weights[1], "80"]]) {
    await input.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
    await input.sendKeys(value);
  }
  assert.match(await textOf("audience-arms"), /20%[\s\S]*80%/);
  await screenshot("experiments-1-audience-test-form");

  await click("audience-create");
  await find("audience-created", 60_000);
  await find("audience-export");
  // The new experiment is listed, selected and analysed.
  await driver.wait(async () => {
    for (const item of await driver.findElements(By.css('[data-testid="experiment-item"]'))) {
      if ((await visibleText(item)).includes("Viewers holdout, 20/80")) return true;
    }
    return false;
  }, 30_000, "the new experiment in the list");
  await driver.wait(async () => (await textOf("experiment-variants")).includes("Holdout"), 30_000, "the new experiment's variants");
  const variants = await textOf("experiment-variants");
  assert.match(variants, /Holdout/);
  assert.match(variants, /Treatment/);
  const caveats = (await driver.findElements(By.css('[data-testid="verdict-caveats"]'))).length
    ? await textOf("verdict-caveats")
    : "";
  assert.doesNotMatch(caveats, /sample ratio mismatch/i, "a 20/80 split is checked against 20/80");
  assert.ok((await textOf("verdict-headline")).length > 0);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("experiment-verdict"));
  await screenshot("experiments-2-audience-test-result");
});

step("experiments: two creatives are tested on a segment, one arm each", async () => {
  await click("nav-experiments");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("audience-test"));
  await choose("audience-segment", "template:cart_abandoners");
  // The creative templates (the demo brand's) become the arms.
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="audience-subject"] option[value="creative"]'))).length > 0, 20_000);
  await choose("audience-subject", "creative");
  await driver.wait(async () => (await driver.findElements(byTestId("audience-arm-creative"))).length === 2, 20_000, "one creative per arm");
  const arms = await driver.findElements(byTestId("audience-arm-creative"));
  const first = await arms[0].getAttribute("value");
  const second = await arms[1].getAttribute("value");
  assert.notEqual(first, second);
  assert.match(await textOf("audience-arms"), /50%[\s\S]*50%/);
  await type("audience-name", "Creative A/B on cart abandoners");
  await screenshot("experiments-5-creative-test-form");
  await click("audience-create");
  await driver.wait(async () => /Creative A\/B on cart abandoners/.test(await textOf("experiment-verdict")), 60_000, "the creative test analysed");
  const verdict = await textOf("experiment-verdict");
  assert.ok(verdict.includes(`Creatives ${first} vs ${second}`), verdict);
  assert.match(await textOf("experiment-variants"), new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("experiment-verdict"));
  await screenshot("experiments-6-creative-test-result");
});

step("experiments: a Meta split test export is read as a test of its ad sets", async () => {
  const file = path.join(exportsDir, "meta_ads_manager_export_dirty_ab_test.csv");
  await dropFiles([file]);
  await driver.wait(async () => /Meta Ads Manager/.test(await textOf("import-detected")), 20_000);
  await click("import-start");
  const result = await find("import-result", 60_000);
  assert.equal(await result.getAttribute("data-status"), "imported");
  await click("import-done");

  await click("nav-experiments");
  // The card re-renders as the report's arms arrive: look it up afresh each time.
  await driver.wait(async () => /Brand \+ Product Group A/.test(await textOf("split-test")), 20_000, "the report's arms");
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("split-test"));
  await screenshot("experiments-3-split-test-form");
  await click("split-test-analyse");
  await driver.wait(async () => {
    for (const item of await driver.findElements(By.css('[data-testid="experiment-item"]'))) {
      if (/meta_ads_manager_export_dirty_ab_test/.test(await visibleText(item))) return true;
    }
    return false;
  }, 30_000, "the split test in the list");
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="experiment-variants"] tbody tr'))).length >= 2, 30_000);
  assert.ok((await textOf("verdict-headline")).length > 0);
  // Ad sets are what Meta ran, not a planned split: no sample-ratio alarm,
  // and the units are impressions, not people.
  assert.match(await textOf("srm-not-checked"), /split not planned/);
  const caveats = (await driver.findElements(byTestId("verdict-caveats"))).length ? await textOf("verdict-caveats") : "";
  assert.doesNotMatch(caveats, /sample ratio|assignment or tracking/i);
  assert.match(await textOf("experiment-variants"), /^Variant\s+Impressions/i);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", await find("experiment-verdict"));
  await screenshot("experiments-4-split-test-result");
});
