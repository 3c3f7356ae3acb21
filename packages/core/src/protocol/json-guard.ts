/** How deep a request body may nest (objects and arrays). Deeper bodies are refused with a 400. */
export const MAX_JSON_DEPTH = 64;

/**
 * Member names refused at every wire boundary: they are harmless to
 * `JSON.parse`, but one spread or merge later they reach an object's
 * prototype, and verifiers on other runtimes disagree about them.
 */
const HOSTILE_MEMBERS = new Set(["__proto__", "constructor", "prototype"]);

export interface JsonProblem {
  /** Where, as `action.data.items.3.name`; `(body)` for the top level. */
  path: string;
  message: string;
}

/**
 * Checks a parsed JSON value for what the JSON grammar allows but nothing
 * downstream can sign, store or compare: lone UTF-16 surrogates (RFC 8785
 * refuses them), nesting deeper than `maxDepth`, and hostile member names.
 * Iterative, so a hostile depth cannot exhaust the stack. Returns the first
 * problem, or `null`.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const stack: { value: unknown; path: readonly (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string") {
      if (!current.isWellFormed()) return problem(path, "contains a lone UTF-16 surrogate");
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (path.length >= maxDepth) return problem(path, `nests deeper than ${maxDepth} levels`);
    // Pushed last to first, so the first member is looked at first and named first.
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        stack.push({ value: current[index], path: [...path, index] });
      }
      continue;
    }
    const members = Object.entries(current);
    for (const [name] of members) {
      if (!name.isWellFormed()) return problem(path, "has a member name with a lone UTF-16 surrogate");
      if (HOSTILE_MEMBERS.has(name)) return problem([...path, name], "is a reserved member name");
    }
    for (let index = members.length - 1; index >= 0; index--) {
      const [name, member] = members[index]!;
      stack.push({ value: member, path: [...path, name] });
    }
  }
  return null;
}

function problem(path: readonly (string | number)[], message: string): JsonProblem {
  return { path: path.length > 0 ? path.join(".") : "(body)", message };
}
