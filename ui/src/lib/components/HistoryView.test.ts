import { emit } from "@tauri-apps/api/event";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { historyPage, NOW } from "../../test/fixtures";
import { answerIpc } from "../../test/ipc-mock";
import type { HistoryPage } from "../types";
import HistoryView from "./HistoryView.svelte";

/// A page of `rows` of the fixture's first row, with ids r<offset>…, out of `total`.
function pageOf(offset: number, rows: number, total: number, exact: boolean): HistoryPage {
  const first = historyPage.rows[0]!;
  return {
    ...historyPage,
    rows: Array.from({ length: rows }, (_, i) => ({ ...first, id: `r${offset + i}` })),
    total,
    total_is_exact: exact,
  };
}

describe("HistoryView", () => {
  it("asks for a page at a time and appends the next one on 'Show more'", async () => {
    const calls = answerIpc({
      history: (args) => {
        const filter = args.filter as { offset: number };
        // Five matches, counted as "more than 3" on the first page (the core caps its count
        // the same way, at a larger number).
        return filter.offset === 0 ? pageOf(0, 3, 3, false) : pageOf(3, 2, 5, true);
      },
    });
    render(HistoryView, { now: NOW });

    expect(await screen.findByText("Matching: more than 3")).toBeTruthy();
    const first = calls.find((c) => c.cmd === "history")!.args.filter as Record<string, unknown>;
    expect(first.limit).toBe(200);
    expect(first.offset).toBe(0);

    await fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await vi.waitFor(() => expect(screen.getByText("Matching: 5")).toBeTruthy());
    const second = calls.filter((c) => c.cmd === "history")[1]!.args.filter as Record<string, unknown>;
    expect(second.offset).toBe(3);
    expect(second.limit).toBe(200);
    // Every row is there once (and the header row), and nothing more is left to show.
    expect(screen.getAllByRole("row")).toHaveLength(6);
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("offers no more when the first page holds every match", async () => {
    answerIpc({ history: () => historyPage });
    render(HistoryView, { now: NOW });
    expect(await screen.findByText("Matching: 5")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("shows an export's progress while it runs, then where it went", async () => {
    let finish: (r: { path: string; rows: number }) => void = () => {};
    answerIpc({
      history: () => pageOf(0, 3, 3, true),
      export_history: () => new Promise((resolve) => (finish = resolve)),
    });
    render(HistoryView, { now: NOW });
    await screen.findByText("Matching: 3");
    const json = screen.getByRole("button", { name: "Export JSON" }) as HTMLButtonElement;
    await fireEvent.click(json);
    expect(json.disabled).toBe(true);
    await emit("export://progress", { rows_done: 250_000, rows_total: 1_000_000 });
    const shown = await screen.findByTestId("export-progress");
    expect(shown.textContent).toContain("Exporting: 250,000 of 1,000,000 rows (25%)");
    finish({ path: "/home/amira/keepwatch-history.json", rows: 1_000_000 });
    expect(await screen.findByText(/Exported 1,000,000 rows to/)).toBeTruthy();
    expect(screen.queryByTestId("export-progress")).toBeNull();
    expect(json.disabled).toBe(false);
  });
});
