// End-to-end: Sequences in the real window. Build an abandoned-cart flow by
// clicking, preview its e-mail for a demo person (desktop, mobile, plain
// text) in the sandboxed frame, run the dry run with one person's timeline,
// send "a test e-mail to myself" through SMTP settings typed into the app
// (to a local SMTP server this test starts), and run the seed's journey.
// Screenshots: sequences-*.png.

import net from "node:net";
import { assert, By, byTestId, choose, click, driver, find, screenshot, step, textOf, type, useApp } from "./harness.mjs";

useApp();

/** A minimal SMTP server: answers every command, keeps what it received. */
function smtpSink() {
  const received = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    let data = "";
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let at;
      while ((at = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            received.push(data);
            data = "";
            socket.write("250 queued\r\n");
          } else data += `${line}\n`;
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write("250-sink\r\n250 8BITMIME\r\n");
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (/^QUIT/i.test(line)) {
          socket.end("221 bye\r\n");
        } else socket.write("250 OK\r\n");
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port, received })));
}

async function addStep(list, kind) {
  const row = await find(`add-step-${list}`);
  await choose(await row.findElement(byTestId("add-step-kind")), kind);
  await (await row.findElement(byTestId("add-step"))).click();
}

async function stepIds() {
  const ids = [];
  for (const s of await driver.findElements(byTestId("flow-step"))) ids.push(await s.getAttribute("data-step-id"));
  return ids;
}

async function entered() {
  return Number((await textOf("dry-run-entered")).replace(/,/g, ""));
}

step("sequences: build an abandoned-cart flow by clicking and save it", async () => {
  await click("nav-sequences");
  await find("sequences");
  await click("new-flow");
  await type("flow-name", "Cart rescue");
  await addStep("top", "wait");
  await choose(await (await find("flow-step")).findElement(byTestId("duration-unit")), "hours");
  await addStep("top", "email");
  await addStep("top", "branch");
  await addStep("2.no", "sms");
  await addStep("2.yes", "email");
  assert.deepEqual(await stepIds(), ["wait-1", "email-1", "branch-1", "email-2", "sms-1"]);
  // Reorder: the wait goes below the e-mail and back.
  const cardOf = async (id) => driver.findElement(By.css(`[data-testid="flow-step"][data-step-id="${id}"]`));
  await (await (await cardOf("wait-1")).findElement(byTestId("move-step-down"))).click();
  assert.deepEqual((await stepIds()).slice(0, 3), ["email-1", "wait-1", "branch-1"]);
  await (await (await cardOf("wait-1")).findElement(byTestId("move-step-up"))).click();
  assert.deepEqual(await stepIds(), ["wait-1", "email-1", "branch-1", "email-2", "sms-1"]);
  await click("save-flow");
  await driver.wait(async () => (await textOf("sequence-notice")).includes("Saved “Cart rescue”"), 10_000);
  assert.match(await textOf("saved-flows"), /Cart rescue/);
  await driver.executeScript("document.querySelector('[data-testid=\"flow-builder\"]').scrollIntoView()");
  await screenshot("sequences-1-builder");
  await driver.executeScript("document.querySelector('[data-step-id=\"branch-1\"]').scrollIntoView()");
  await screenshot("sequences-1b-branch");
  await driver.executeScript("document.querySelector('[data-testid=\"sequences\"]').scrollIntoView()");
});

step("sequences: preview the e-mail for a person at desktop and mobile widths and as text", async () => {
  const [preview] = await driver.findElements(byTestId("preview-step"));
  await preview.click();
  const frame = await find("preview-frame");
  assert.equal(await frame.getAttribute("sandbox"), "", "no script, no same origin");
  const doc = await frame.getAttribute("srcdoc");
  assert.match(doc, /Content-Security-Policy/);
  assert.match(doc, /default-src 'none'/);
  const subject = await textOf("preview-subject");
  assert.match(subject, /, you left something behind$/);
  assert.doesNotMatch(subject, /\{\{/);
  // The cart's product, from the person's own history, in the preheader.
  assert.match(await textOf("preview-preheader"), /is still waiting\.$/);
  await screenshot("sequences-2-preview-desktop");
  await click("width-mobile");
  await driver.wait(async () => (await (await find("preview-frame")).getAttribute("class")).includes("seq-frame-mobile"), 5_000);
  await screenshot("sequences-3-preview-mobile");
  await click("width-text");
  assert.match(await textOf("preview-text"), /Still thinking it over\?/);
  await screenshot("sequences-4-preview-text");
});

step("sequences: the dry run counts every step and shows one person's timeline", async () => {
  await click("tab-dry-run");
  await click("run-dry-run");
  await find("dry-run-result", 120_000);
  const n = await entered();
  assert.ok(n > 0, `entered ${n}`);
  const rows = await driver.findElements(byTestId("dry-run-step"));
  assert.equal(rows.length, 5);
  assert.match(await textOf("dry-run-conversions"), /observed in history/);
  await screenshot("sequences-5-dry-run");
  // The first person who got something is filled in; run again for the timeline.
  await click("run-dry-run");
  await driver.wait(async () => (await driver.findElements(byTestId("dry-run-timeline"))).length > 0, 120_000, "the timeline");
  assert.match(await textOf("dry-run-timeline"), /entered Cart rescue/);
  await driver.executeScript("document.querySelector('[data-testid=\"dry-run-timeline\"]').scrollIntoView()");
  await screenshot("sequences-6-timeline");
});

step("sequences: send a test e-mail to myself through the SMTP settings", async () => {
  const sink = await smtpSink();
  try {
    await click("tab-rules");
    await type("smtp-host", "127.0.0.1");
    await type("smtp-port", String(sink.port));
    await choose("smtp-security", "none");
    await type("smtp-from", "Rebound <shop@example.com>");
    await type("smtp-to", "me@example.com");
    await click("save-smtp");
    await driver.wait(async () => (await textOf("sequence-notice")).includes("Saved the SMTP settings"), 10_000);
    await screenshot("sequences-7-rules-smtp");
    await click("tab-preview");
    await click("send-test-email");
    await driver.wait(async () => (await textOf("sequence-notice")).includes("Sent a test e-mail to me@example.com"), 30_000);
    assert.equal(sink.received.length, 1);
    assert.match(sink.received[0], /Subject: \[Test\] .*you left something behind/);
    assert.match(sink.received[0], /multipart\/alternative/);
  } finally {
    sink.server.close();
  }
});

step("sequences: the seed's journey ships as a template and runs in the dry run", async () => {
  await click("flow-template-pricing_page_journey");
  assert.deepEqual((await stepIds()).slice(0, 4), ["offer-ad", "wait-3-days", "morning", "case-study"]);
  await click("tab-dry-run");
  await click("run-dry-run");
  await driver.wait(async () => (await driver.findElements(By.css('[data-testid="dry-run-step"][data-step-id="offer-ad"]'))).length > 0, 120_000);
  assert.ok((await entered()) > 0);
  await screenshot("sequences-8-seed-journey");
});
