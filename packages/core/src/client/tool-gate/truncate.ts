/** Cuts `text` to at most `max` UTF-16 units with an ellipsis, never through a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Half a surrogate pair would make the action unhashable as canonical JSON.
  if (!cut.isWellFormed()) cut = cut.slice(0, -1);
  return `${cut}…`;
}
