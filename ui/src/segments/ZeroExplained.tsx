// A zero count explained: where the segment's events are, and the nearest
// day whose end has people. Segments and the audience test both show it.

import type { ZeroHint } from "../bindings/segments/ZeroHint";
import { count, day, eventLabel } from "../lib/format";

export function dataDescription(events: readonly string[]): string {
  if (events.length === 0) return "your events";
  const names = events.slice(0, 2).map((e) => `“${eventLabel(e)}”`);
  return `your ${names.join(" and ")}${events.length > 2 ? " …" : ""} events`;
}

/**
 * A zero that is about the moment, not the rule: where the segment's events
 * are, and the nearest day whose end has people, to use with one click
 * (`onUse`; without it, the caller already counts that day).
 */
export function ZeroExplained({ zero, shownDay, onUse }: { zero: ZeroHint; shownDay: string | null; onUse?: (day: string) => void }) {
  // At the end of the last day itself the data has ended too.
  const where = zero.after_data || shownDay === zero.data.last_day
    ? `${dataDescription(zero.data.events)} end on ${day(zero.data.last_day)}`
    : zero.before_data
      ? `${dataDescription(zero.data.events)} begin on ${day(zero.data.first_day)}`
      : `${dataDescription(zero.data.events)} run from ${day(zero.data.first_day)} to ${day(zero.data.last_day)}`;
  const s = zero.suggestion;
  return (
    <div className="zero-hint small" data-testid="zero-hint">
      <span>
        0{shownDay ? ` at the end of ${day(shownDay)}` : ""}: {where}
        {s ? `; ${count(s.members)} at the end of ${day(s.day)}` : "; no day of the data has anyone in it"}
      </span>
      {s && onUse && (
        <button type="button" className="link small" data-testid="zero-use-day" onClick={() => onUse(s.day)}>
          Use this date
        </button>
      )}
    </div>
  );
}
