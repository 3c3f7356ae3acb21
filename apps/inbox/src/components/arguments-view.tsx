import type { ActionData } from "@countersign/core";
import { useState } from "preact/hooks";
import { flattenArguments } from "../lib/flatten-arguments.ts";

/** Fields shown before "Show all N fields": enough for a payment, short enough to keep a phone's card readable. */
export const FIELDS_SHOWN_FIRST = 8;

/** The exact arguments: one row per field (nested ones by path), long lists collapsed, the raw JSON one tap away. */
export function ArgumentsView({ data, label }: { data: ActionData | undefined; label: string }) {
  const [expanded, setExpanded] = useState(false);
  if (!data || Object.keys(data).length === 0) return <p class="muted">No arguments.</p>;
  const fields = flattenArguments(data);
  const collapsible = fields.length > FIELDS_SHOWN_FIRST;
  const shown = collapsible && !expanded ? fields.slice(0, FIELDS_SHOWN_FIRST) : fields;
  const listId = `arguments-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <div class="arguments">
      <dl class="key-values" aria-label={label} id={listId}>
        {shown.map((field) => (
          <div class="key-value" key={field.path}>
            <dt>{field.path}</dt>
            <dd>{field.value}</dd>
          </div>
        ))}
      </dl>
      {collapsible && (
        <button
          type="button"
          class="button secondary show-all"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? `Show the first ${FIELDS_SHOWN_FIRST} fields` : `Show all ${fields.length} fields`}
        </button>
      )}
      <details class="raw-json">
        <summary>Raw JSON</summary>
        <pre>
          <code>{JSON.stringify(data, null, 2)}</code>
        </pre>
      </details>
    </div>
  );
}
