// Progress reports as the fake backend sends them: the figures the real one
// works out in rebound_core::progress (fraction by bytes, else by units; rate
// after 200 ms; time left once 1% is done and 500 ms have passed), so screens
// under test read the same fields they read in the app.

import type { Progress } from "../bindings/Progress";

type Report = Omit<Progress, "fraction" | "rate" | "remaining_ms">;

export function progressReport(p: Report): Progress {
  const byBytes = p.bytes_done !== null && p.bytes_total !== null && p.bytes_total > 0;
  const fraction = byBytes
    ? Math.min(1, Math.max(0, p.bytes_done! / p.bytes_total!))
    : p.total !== null && p.total > 0
      ? Math.min(1, p.done / p.total)
      : null;
  const rate = p.elapsed_ms >= 200 ? (p.done * 1000) / p.elapsed_ms : null;
  const remaining_ms =
    fraction !== null && fraction > 0.01 && p.elapsed_ms >= 500 ? Math.round(((1 - fraction) / fraction) * p.elapsed_ms) : null;
  return { ...p, fraction, rate, remaining_ms };
}
