// End-to-end: Creatives in the real window. Choose a template, preview it for
// a demo person, switch formats, edit the text with a token, preview a
// segment's sample, and export a PNG through the native save dialog (typed
// into with xdotool, as a person would). Screenshots: creatives-*.png.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assert, By, byTestId, click, driver, find, gone, home, screenshot, shots, step, textOf, type, useApp } from "./harness.mjs";

useApp({ waitForDemo: false });

async function previewFormat() {
  return (await find("creative-preview-image")).getAttribute("data-format");
}

async function waitForFormat(format) {
  await driver.wait(async () => {
    try {
      return (await previewFormat()) === format;
    } catch {
      return false;
    }
  }, 30_000, `the ${format} preview`);
  // Let the <img> decode the new SVG before the screenshot.
  await driver.wait(
    async () => driver.executeScript("const i = document.querySelector('[data-testid=\"creative-preview-image\"]'); return i && i.complete && i.naturalWidth > 0"),
    10_000,
  );
}

async function templateButton(name) {
  for (const item of await driver.findElements(byTestId("creative-template"))) {
    if ((await item.getText()).includes(name)) return item;
  }
  throw new Error(`no template ${name}`);
}

step("creatives: a built-in template previewed for a demo person, with picks and the linter", async () => {
  // The first run builds the demo workspace.
  await find("app-shell", 60_000);
  await find("kpi-people", 240_000);
  await gone("job-progress");
  await click("nav-creatives");
  await find("creatives");
  await driver.wait(async () => (await driver.findElements(byTestId("creative-template"))).length >= 3, 20_000, "the built-in templates");
  await (await templateButton("Still thinking")).click();
  await waitForFormat("meta_square");
  const src = await (await find("creative-preview-image")).getAttribute("src");
  assert.match(src, /^data:image\/svg\+xml/);
  assert.ok(!/<script/i.test(decodeURIComponent(src)), "no script in the ad");
  assert.match(await textOf("creative-picks"), /In cart\s+.+\s+In their cart since/);
  assert.match(await textOf("creative-findings"), /placeholder is shown because/);
  assert.match(await textOf("creative-size"), /1080×1080 px/);
  await screenshot("creatives-1-meta-square");
});

step("creatives: switching formats re-renders at each platform's size", async () => {
  for (const [format, size, shot] of [
    ["meta_story", "1080×1920", "creatives-2-meta-story"],
    ["google_landscape", "1200×628", "creatives-3-google-landscape"],
    ["google_300x250", "300×250", "creatives-4-google-300x250"],
    ["google_728x90", "728×90", null],
  ]) {
    await click(`format-${format}`);
    await waitForFormat(format);
    assert.match(await textOf("creative-size"), new RegExp(`${size} px`));
    if (shot) await screenshot(shot);
  }
  (await templateButton("Complete your kit")).click();
  await waitForFormat("meta_carousel");
  const image = await find("creative-preview-image");
  assert.ok(Number(await image.getAttribute("data-width")) > 2 * 1080, "a carousel of several cards");
  await screenshot("creatives-5-carousel-dark");
});

step("creatives: editing the headline with a token re-renders the preview", async () => {
  (await templateButton("Still thinking")).click();
  await waitForFormat("meta_square");
  // A short headline with a person token: a long product title would be cut
  // with "…" to fit, and which product the first person gets depends on the
  // day the demo data ends.
  await type("creative-headline", "{{person.first_name | there}}, picked for you");
  const preview = async () => decodeURIComponent(await (await find("creative-preview-image")).getAttribute("src"));
  await driver.wait(async () => (await preview()).includes("picked for you"), 20_000, "a preview with the new headline");
  const svg = await preview();
  assert.match(svg, />[^<>{}]+, picked for you</, "the token is filled in");
  assert.doesNotMatch(svg, /\{\{/);
  await screenshot("creatives-6-edited");
});

step("creatives: a grid of the ads a segment's sample would see", async () => {
  await driver.executeScript("document.querySelector('[data-testid=\"creative-grid-run\"]').scrollIntoView({block: 'center'})");
  await click("creative-grid-run");
  await driver.wait(async () => (await driver.findElements(byTestId("creative-grid-cell"))).length >= 4, 60_000, "grid cells");
  assert.match(await textOf("creative-grid-summary"), /of [\d,]+ people in/);
  await driver.executeScript("document.querySelector('[data-testid=\"creative-grid-summary\"]').scrollIntoView({block: 'start'})");
  await driver.wait(
    async () => driver.executeScript("return [...document.querySelectorAll('[data-testid=\"creative-grid-cell\"] img')].every((i) => i.complete && i.naturalWidth > 0)"),
    20_000,
  );
  await screenshot("creatives-7-segment-grid");
  await driver.executeScript("document.querySelector('[data-testid=\"creatives\"]').scrollIntoView()");
});

step("creatives: Export PNG writes the ad through the save dialog", async () => {
  const out = path.join(home, "Documents", "ad-export.png");
  await driver.executeScript("document.querySelector('[data-testid=\"export-png\"]').scrollIntoView({block: 'center'})");
  await click("export-png");
  // The GTK save dialog has the name field focused: type the full path, Enter.
  await driver.sleep(1500);
  const xdotool = (...args) => spawnSync("xdotool", args, { encoding: "utf8" });
  let typed = false;
  for (let attempt = 0; attempt < 20 && !typed; attempt += 1) {
    const found = xdotool("search", "--onlyvisible", "--name", "Save");
    const id = found.stdout.trim().split("\n").filter(Boolean).pop();
    if (id) {
      // No window manager under Xvfb: give the dialog the keyboard focus directly.
      for (const args of [["windowfocus", "--sync", id], ["key", "--clearmodifiers", "ctrl+a"], ["type", "--delay", "30", out], ["key", "Return"]]) {
        const r = xdotool(...args);
        if (r.status !== 0) console.log("xdotool", args.join(" "), r.status, r.stderr);
        await driver.sleep(200);
      }
      typed = true;
    } else {
      await driver.sleep(500);
    }
  }
  assert.ok(typed, "the save dialog opened");
  await driver.wait(async () => existsSync(out), 30_000, "the exported file");
  await driver.wait(async () => /Exported PNG/.test(await textOf("creative-notice").catch(() => "")), 20_000);
  const bytes = readFileSync(out);
  assert.equal(bytes.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "a PNG file");
  assert.equal(bytes.readUInt32BE(16), 1080, "width");
  assert.equal(bytes.readUInt32BE(20), 1080, "height");
  writeFileSync(path.join(shots, "creatives-8-exported.png"), bytes);
  await screenshot("creatives-9-after-export");
  assert.equal((await driver.findElements(By.css('[data-testid="error-notice"]'))).length, 0);
});
