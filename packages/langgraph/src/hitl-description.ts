import type { HitlActionRequest } from "./hitl-shapes.ts";

const DEFAULT_PREFIX = "Tool execution requires approval";

/**
 * The middleware's description worth showing the approver, if any. By default
 * it is "Tool execution requires approval" followed by the tool and its
 * arguments as JSON: the card's title and body say that better, so only a
 * custom prefix (`descriptionPrefix`) or a custom `description` is kept.
 */
export function hitlDescription(actionRequest: HitlActionRequest): string | undefined {
  const description = actionRequest.description?.trim();
  if (!description) return undefined;
  const generated = `Tool: ${actionRequest.name}\nArgs: ${JSON.stringify(actionRequest.args, null, 2)}`;
  const text = description.endsWith(generated)
    ? description.slice(0, description.length - generated.length).trim()
    : description;
  return text === "" || text === DEFAULT_PREFIX ? undefined : text;
}
