import type { ArgumentChange } from "../lib/edit-arguments.ts";

/** The diff of an approval with edits: each changed field, before → after. */
export function ArgumentChanges({ changes }: { changes: ArgumentChange[] }) {
  return (
    <ul class="changes" aria-label="Changed arguments">
      {changes.map((change) => (
        <li key={change.key}>
          <code>{change.key}</code>: <del>{change.before}</del> → <ins>{change.after}</ins>
        </li>
      ))}
    </ul>
  );
}
