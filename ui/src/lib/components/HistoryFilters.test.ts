import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { historyPage, NOW } from "../../test/fixtures";
import HistoryFilters from "./HistoryFilters.svelte";

function setup() {
  const onchange = vi.fn();
  render(HistoryFilters, {
    countries: historyPage.countries,
    devices: historyPage.devices,
    now: NOW,
    onchange,
  });
  return onchange;
}

const ANY = { from: null, to: null, country_code: null, device: null, state: null, text: null };

describe("HistoryFilters", () => {
  it("narrows by country, device and state", async () => {
    const onchange = setup();
    await fireEvent.change(screen.getByLabelText("Country"), { target: { value: "BR" } });
    expect(onchange).toHaveBeenLastCalledWith({ ...ANY, country_code: "BR" });
    await fireEvent.change(screen.getByLabelText("Device"), {
      target: { value: "Firefox 125 on Windows 11" },
    });
    await fireEvent.change(screen.getByLabelText("State"), { target: { value: "failed" } });
    expect(onchange).toHaveBeenLastCalledWith({
      ...ANY,
      country_code: "BR",
      device: "Firefox 125 on Windows 11",
      state: "failed",
    });
  });

  it("turns a time range into a UTC lower bound counted back from now", async () => {
    const onchange = setup();
    await fireEvent.change(screen.getByLabelText("Time"), { target: { value: "last7d" } });
    expect(onchange).toHaveBeenLastCalledWith({ ...ANY, from: "2026-11-20T12:00:00.000Z" });
  });

  it("searches trimmed text, and clears everything", async () => {
    const onchange = setup();
    await fireEvent.input(screen.getByLabelText("Search"), { target: { value: "  claro " } });
    expect(onchange).toHaveBeenLastCalledWith({ ...ANY, text: "claro" });
    await fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onchange).toHaveBeenLastCalledWith(ANY);
  });

  it("names countries in the UI language", () => {
    setup();
    const options = [...(screen.getByLabelText("Country") as HTMLSelectElement).options].map(
      (o) => o.textContent,
    );
    expect(options).toEqual(["Any", "Brazil", "Germany"]);
  });
});
