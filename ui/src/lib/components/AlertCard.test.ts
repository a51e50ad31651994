import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NOW, record, takeover, vpn } from "../../test/fixtures";
import { setLanguage } from "../i18n/locale.svelte";
import AlertCard from "./AlertCard.svelte";

afterEach(() => setLanguage("en"));

const open = record(takeover);

describe("AlertCard", () => {
  it("shows severity, what happened and why, in English", () => {
    const { container } = render(AlertCard, { record: open, now: NOW });
    expect(container.querySelector(".badge")?.textContent).toBe("Critical");
    expect(screen.getByRole("heading", { level: 3 }).textContent).toBe("Possible account takeover");
    expect(container.textContent).toContain("Firefox 125 on Windows 11 · São Paulo, Brazil");
    const reasons = [...container.querySelectorAll(".reasons li")].map((li) => li.textContent);
    expect(reasons).toEqual([
      "Firefox 125 on Windows 11 is not a device this account has been used from.",
      "Brazil (BR) is not a country this account has been used from.",
      "The address belongs to Claro NXT Telecomunicacoes Ltda (AS28573).",
    ]);
  });

  it("words severity, title and reasons in Arabic", () => {
    setLanguage("ar");
    const { container } = render(AlertCard, { record: open, now: NOW });
    expect(container.querySelector(".badge")?.textContent).toBe("حرج");
    expect(screen.getByRole("heading", { level: 3 }).textContent).toBe("احتمال استيلاء على الحساب");
    const reasons = [...container.querySelectorAll(".reasons li")].map((li) => li.textContent);
    // Server text is isolated (FSI…PDI) inside the right-to-left sentence.
    expect(reasons[0]).toBe(
      "لم يُستخدم هذا الحساب من قبل من الجهاز \u2068Firefox 125 on Windows 11\u2069.",
    );
    // Country names come from Intl in the UI language.
    expect(reasons[1]).toBe("لم يُستخدم هذا الحساب من قبل من \u2068البرازيل (BR)\u2069.");
  });

  it("names a hosting network as a likely VPN", () => {
    const { container } = render(AlertCard, {
      record: record(vpn, "acknowledged"),
      now: NOW,
    });
    expect(container.querySelector(".badge")?.textContent).toBe("Warning");
    expect(container.textContent).toContain(
      "The address belongs to M247 Europe SRL (AS9009), a hosting network (M247) where VPN services and rented servers live: this may well be a VPN.",
    );
    expect(container.textContent).toContain("Seen");
  });

  it("unfolds the response flow and reports state changes", async () => {
    const onstate = vi.fn();
    const { container } = render(AlertCard, { record: open, now: NOW, onstate });
    expect(container.querySelector(".flow")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Respond" }));
    expect(container.querySelectorAll(".flow > li")).toHaveLength(6);
    await fireEvent.click(screen.getByRole("button", { name: "Mark as resolved" }));
    expect(onstate).toHaveBeenCalledWith("session:s-stranger", "resolved");
  });
});
