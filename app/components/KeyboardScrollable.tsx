import { useEffect, useRef, type ReactNode } from "react";

/**
 * Lets a keyboard reach (and so scroll) a Polaris table that scrolls sideways on a narrow screen:
 * DataTable's scroll container takes no focus of its own (axe: scrollable-region-focusable).
 */
export function KeyboardScrollable({ label, children }: { label: string; children: ReactNode }) {
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const container of wrapper.current?.querySelectorAll<HTMLElement>(".Polaris-DataTable__ScrollContainer") ??
      []) {
      container.tabIndex = 0;
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", label);
    }
  });
  return <div ref={wrapper}>{children}</div>;
}
