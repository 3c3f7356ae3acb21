import { useEffect, useState } from "preact/hooks";

let announceTo: (message: string) => void = () => {};

/** Says `message` to screen readers (and shows it briefly), e.g. "Approved by bob just now". */
export function announce(message: string): void {
  announceTo(message);
}

/** The page's one polite live region. */
export function Announcer() {
  const [message, setMessage] = useState("");
  useEffect(() => {
    announceTo = setMessage;
    return () => {
      announceTo = () => {};
    };
  }, []);
  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
