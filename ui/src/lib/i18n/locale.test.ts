import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import LanguageSwitch from "../components/LanguageSwitch.svelte";
import { intlLocale, language, messages, setLanguage, systemLanguage } from "./locale.svelte";

afterEach(() => {
  setLanguage("en");
  vi.unstubAllGlobals();
});

describe("language", () => {
  it("sets dir=rtl and lang=ar on <html> for Arabic, and back", () => {
    setLanguage("ar");
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ar");
    expect(messages()("nav-sessions")).toBe("الجلسات");
    setLanguage("en");
    expect(document.documentElement.dir).toBe("ltr");
    expect(document.documentElement.lang).toBe("en");
  });

  it("switches from the language menu", async () => {
    const onchange = vi.fn();
    render(LanguageSwitch, { onchange });
    await fireEvent.change(screen.getByRole("combobox"), { target: { value: "ar" } });
    expect(language()).toBe("ar");
    expect(document.documentElement.dir).toBe("rtl");
    expect(onchange).toHaveBeenCalledWith("ar");
  });

  it("defaults from navigator.language", () => {
    vi.stubGlobal("navigator", { language: "ar-EG" });
    expect(systemLanguage()).toBe("ar");
    vi.stubGlobal("navigator", { language: "de-DE" });
    expect(systemLanguage()).toBe("en");
  });

  it("uses Western digits in Arabic, on purpose", () => {
    setLanguage("ar");
    expect(intlLocale()).toBe("ar-u-nu-latn");
    expect(new Intl.NumberFormat(intlLocale()).format(1234)).toBe("1,234");
  });
});
