/**
 * Glob patterns for agent ids and action types: `*` matches any run of
 * characters (dots included, so `db.*` matches `db.drop_table`), `?` one
 * character; everything else is literal. Matching is case-sensitive.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (const character of pattern) {
    if (character === "*") source += ".*";
    else if (character === "?") source += ".";
    else source += character.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

export function matchesGlob(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
}
