import { render } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n/locale.svelte";
import Timeline from "./Timeline.svelte";

afterEach(() => setLanguage("en"));

// Local days in the test zone (Asia/Tokyo, UTC+9).
const TIMES = [
  "2026-11-20T01:00:00Z", // 20 Nov
  "2026-11-20T05:00:00Z", // 20 Nov
  "2026-11-22T03:00:00Z", // 22 Nov
  "2026-11-22T16:00:00Z", // 23 Nov 01:00 local: the next local day, not 22 Nov
];

function bars(container: HTMLElement) {
  return [...container.querySelectorAll("rect.bar")].map((r) => ({
    x: Number(r.getAttribute("x")),
    height: Number(r.getAttribute("height")),
  }));
}

describe("Timeline", () => {
  it("draws one bar per local day with sign-ins, scaled to the busiest", () => {
    const { container } = render(Timeline, { times: TIMES });
    const drawn = bars(container);
    expect(drawn).toHaveLength(3);
    expect(drawn.map((b) => b.height)).toEqual([110, 55, 55]);
    expect(drawn[0]!.x).toBeLessThan(drawn[1]!.x);
  });

  it("runs right to left in Arabic", () => {
    setLanguage("ar");
    const { container } = render(Timeline, { times: TIMES });
    const drawn = bars(container);
    expect(drawn[0]!.x).toBeGreaterThan(drawn[1]!.x);
  });

  it("draws nothing without times", () => {
    const { container } = render(Timeline, { times: [] });
    expect(container.querySelector("svg")).toBeNull();
  });
});
