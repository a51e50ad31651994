import { emit } from "@tauri-apps/api/event";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { GeoStatus } from "../types";
import { answerIpc } from "../../test/ipc-mock";
import LocationData from "./LocationData.svelte";

const none: GeoStatus = {
  dir: "/home/amira/.local/share/keepwatch/geo",
  files: [],
  folder: null,
  folder_files: [],
  attribution: "IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0",
};

const downloaded: GeoStatus = {
  ...none,
  files: [
    { name: "dbip-asn-lite.mmdb", kind: "isp", bytes: 9_000_000, modified: "2026-12-01T10:00:00Z" },
    { name: "dbip-city-lite.mmdb", kind: "place", bytes: 130_000_000, modified: "2026-12-01T10:01:00Z" },
  ],
};

describe("LocationData", () => {
  it("prompts for a download while there is no data, shows its progress, then says it is done", async () => {
    let finish: (s: GeoStatus) => void = () => {};
    const calls = answerIpc({
      geo_status: () => none,
      update_geo: () => new Promise<GeoStatus>((resolve) => (finish = resolve)),
    });
    const ondownloaded = vi.fn();
    render(LocationData, { compact: true, ondownloaded });
    expect(await screen.findByText(/No location data yet/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Download location data" }));
    await emit("geo://progress", { file: "dbip-city-lite-2026-12.mmdb.gz", bytes_done: 12_500_000, bytes_total: 50_000_000 });
    const progress = await screen.findByTestId("geo-progress");
    expect(progress.textContent).toContain("Downloading dbip-city-lite-2026-12.mmdb.gz: 12.5 of 50 MB");
    expect((screen.getByRole("button", { name: "Download location data" }) as HTMLButtonElement).disabled).toBe(true);
    finish(downloaded);
    expect(await screen.findByText(/Location data downloaded/)).toBeTruthy();
    expect(ondownloaded).toHaveBeenCalled();
    expect(calls.map((c) => c.cmd)).toEqual(["geo_status", "update_geo"]);
  });

  it("shows nothing in the sessions view once data is there", async () => {
    answerIpc({ geo_status: () => downloaded });
    const { container } = render(LocationData, { compact: true });
    await vi.waitFor(() => expect(container.querySelector("[data-testid=location-data]")).toBeNull());
    await new Promise((r) => setTimeout(r, 10));
    expect(container.querySelector("[data-testid=location-data]")).toBeNull();
  });

  it("reads a chosen folder too, and says what a wrong one is", async () => {
    const calls = answerIpc({
      geo_status: () => downloaded,
      set_location_data_folder: (args) => {
        if (args.folder === "/nowhere") throw { kind: "invalid", message: "/nowhere is not a folder" };
        return {
          ...downloaded,
          folder: args.folder as string,
          folder_files: [{ name: "GeoLite2-City.mmdb", kind: "place", bytes: 60_000_000, modified: null }],
        };
      },
    });
    render(LocationData, {});
    expect(await screen.findByTestId("geo-files")).toBeTruthy();
    const folder = screen.getByLabelText("Folder of location files to read too");
    await fireEvent.input(folder, { target: { value: "/nowhere" } });
    await fireEvent.click(screen.getByRole("button", { name: "Use this folder" }));
    expect((await screen.findByRole("alert")).textContent).toContain("/nowhere is not a folder");
    await fireEvent.input(folder, { target: { value: "/var/lib/GeoIP" } });
    await fireEvent.click(screen.getByRole("button", { name: "Use this folder" }));
    expect(await screen.findByText("Folder saved: one location file read from it.")).toBeTruthy();
    expect(calls.at(-1)).toEqual({ cmd: "set_location_data_folder", args: { folder: "/var/lib/GeoIP" } });
  });
});
