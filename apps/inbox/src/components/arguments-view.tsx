import type { ActionData } from "@countersign/core";

/** The exact arguments: one line per field, and the raw JSON one tap away. */
export function ArgumentsView({ data, label }: { data: ActionData | undefined; label: string }) {
  if (!data || Object.keys(data).length === 0) return <p class="muted">No arguments.</p>;
  return (
    <div class="arguments">
      <dl class="key-values" aria-label={label}>
        {Object.entries(data).map(([key, value]) => (
          <div class="key-value" key={key}>
            <dt>{key}</dt>
            <dd>
              {typeof value === "object" && value !== null ? (
                <code>{JSON.stringify(value)}</code>
              ) : (
                String(value)
              )}
            </dd>
          </div>
        ))}
      </dl>
      <details class="raw-json">
        <summary>Raw JSON</summary>
        <pre>
          <code>{JSON.stringify(data, null, 2)}</code>
        </pre>
      </details>
    </div>
  );
}
