// The fake backend against the contract the real one is held to: every case
// of `tests/contract/cases.json` is answered by `createFakeBackend()` here and
// by `rebound-api` in `src-tauri/crates/api/tests/contract.rs`; both must give
// the file's answer, so the fakes the component tests use cannot drift.

import { describe, expect, it } from "vitest";
import cases from "../../../tests/contract/cases.json";
import type { AudienceArm } from "../bindings/AudienceArm";
import { createFakeBackend } from "./fake";

describe("the fake backend keeps the backend's contract", () => {
  it("checks audience arms as the backend does", async () => {
    const backend = createFakeBackend();
    expect(cases.audience_arms_check.length).toBeGreaterThanOrEqual(8);
    for (const c of cases.audience_arms_check) {
      expect(await backend.checkAudienceArms(c.arms as AudienceArm[]), JSON.stringify(c.arms)).toEqual(c.result);
    }
  });

  it("suggests the backend's column mapping for its sample file", async () => {
    const backend = createFakeBackend();
    // As in the Rust half: a new, empty workspace is open.
    await backend.createWorkspace("/contract/Contract");
    for (const c of cases.import_inspect_suggestion) {
      const inspection = await backend.inspectImport(`/exports/${c.file}`);
      expect(inspection.header).toEqual(c.header);
      expect(inspection.rows).toEqual(c.rows);
      expect(inspection.needs_mapping).toBe(true);
      expect(inspection.suggested_mapping).toEqual(c.result);
    }
  });
});
