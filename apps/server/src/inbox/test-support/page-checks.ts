import type { Page } from "playwright-core";

/** Form fields without an accessible name. */
export function unlabelledFields(page: Page): Promise<string[]> {
  return page
    .locator("input, select, textarea")
    .evaluateAll((fields) =>
      fields
        .filter(
          (field) =>
            (field as HTMLInputElement).labels?.length === 0 &&
            !field.getAttribute("aria-label") &&
            !field.getAttribute("aria-labelledby"),
        )
        .map((field) => field.outerHTML),
    );
}

/** Text whose contrast with its background is below WCAG AA (4.5:1). */
export function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([red, green, blue]: number[]) => {
      const linear = [red, green, blue].map((value) => {
        const channel = (value ?? 0) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
    };
    const background = (element: Element | null): number[] => {
      for (let node = element; node; node = node.parentElement) {
        const color = channels(getComputedStyle(node).backgroundColor);
        if (color.length === 3 || (color[3] ?? 0) > 0) return color.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const problems: string[] = [];
    for (const element of document.querySelectorAll("body *")) {
      const ownText = [...element.childNodes].some(
        (node) => node.nodeType === 3 && node.textContent!.trim() !== "",
      );
      const box = element.getBoundingClientRect();
      if (!ownText || box.width === 0 || element.closest(".visually-hidden, [disabled]")) continue;
      const text = luminance(channels(getComputedStyle(element).color));
      const behind = luminance(background(element));
      const ratio = (Math.max(text, behind) + 0.05) / (Math.min(text, behind) + 0.05);
      if (ratio < 4.5) problems.push(`${ratio.toFixed(2)}: ${element.textContent!.trim().slice(0, 40)}`);
    }
    return problems;
  });
}
