import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** The page's `h1`, focused when the page opens so keyboard and screen reader users start there. */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Countersign`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
