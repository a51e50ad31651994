import { describe, expect, it } from "vitest";
import { relativeTime } from "./format";

describe("relativeTime", () => {
  const now = new Date("2026-11-27T10:00:00Z");

  it("words past moments in the largest whole unit", () => {
    expect(relativeTime("2026-11-27T07:00:00Z", now, "en")).toBe("3 hours ago");
  });

  it("reads a server clock a little ahead of ours as now, not the future", () => {
    expect(relativeTime("2026-11-27T10:01:00Z", now, "en")).toBe("now");
  });

  it("still shows a clock far ahead as the future", () => {
    expect(relativeTime("2026-11-27T12:00:00Z", now, "en")).toBe("in 2 hours");
  });
});
