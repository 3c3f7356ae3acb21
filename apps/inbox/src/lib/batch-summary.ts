import type { Pause } from "@countersign/core";

/** What the approver reads before deciding many pauses at once. */
export interface BatchSummary {
  /** "3 pauses". */
  count: string;
  /** "12 refunds", "2 payments and 1 refund". */
  types: string;
  /** "$1,840 in total" (amount + currency), "amount: 1,840 in total", or none when nothing is shared. */
  totals: string[];
  /** "3 agents". */
  agents: string;
  /** The agents' ids, for naming them when there are few. */
  agentIds: string[];
}

/** Arguments that name or number something rather than measure it: never summed. */
const IDENTIFIER = [/(^|[_-])(id|ids|number|no|num|code|ref|version)$/i, /[a-z](Id|Number|No|Num|Code|Ref)$/];
/** At most this many summed fields when there is no `amount`. */
const MAX_TOTALS = 3;

export function summarizeBatch(pauses: readonly Pause[], locale?: string): BatchSummary {
  const agentIds = [...new Set(pauses.map((pause) => pause.agent_id))].sort();
  return {
    count: counted(pauses.length, "pause"),
    types: describeTypes(pauses),
    totals: totalsOf(pauses, locale),
    agents: counted(agentIds.length, "agent"),
    agentIds,
  };
}

/** "1 pause", "3 pauses". */
export function counted(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : plural(noun)}`;
}

/** Action types by how often they occur: "12 refunds", "2 payments and 1 refund", "3 × db.drop". */
function describeTypes(pauses: readonly Pause[]): string {
  const counts = new Map<string, number>();
  for (const pause of pauses) counts.set(pause.action.type, (counts.get(pause.action.type) ?? 0) + 1);
  const parts = [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([type, count]) => (/^[a-z]+$/.test(type) ? counted(count, type) : `${count} × ${type}`));
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/**
 * Totals of a numeric argument every pause has: `amount`, in its `currency`
 * when every pause names one (one total per currency); else the other shared
 * numeric arguments, labelled with their names. Identifiers are not summed.
 */
function totalsOf(pauses: readonly Pause[], locale: string | undefined): string[] {
  if (pauses.length === 0) return [];
  const shared = sharedNumericFields(pauses);
  if (shared.includes("amount")) {
    const currencies = pauses.map((pause) => pause.action.data?.currency);
    if (currencies.every((currency): currency is string => typeof currency === "string" && currency !== "")) {
      const byCurrency = new Map<string, number>();
      pauses.forEach((pause, index) => {
        const currency = currencies[index]!.toUpperCase();
        byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + (pause.action.data!.amount as number));
      });
      const amounts = [...byCurrency].map(([currency, total]) => money(total, currency, locale));
      return [`${amounts.join(" + ")} in total`];
    }
    return [fieldTotal("amount", pauses, locale)];
  }
  return shared
    .filter((field) => !IDENTIFIER.some((pattern) => pattern.test(field)))
    .slice(0, MAX_TOTALS)
    .map((field) => fieldTotal(field, pauses, locale));
}

function sharedNumericFields(pauses: readonly Pause[]): string[] {
  const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
  const first = pauses[0]?.action.data ?? {};
  return Object.keys(first)
    .filter((field) => pauses.every((pause) => isNumber(pause.action.data?.[field])))
    .sort((a, b) => Number(b === "amount") - Number(a === "amount") || a.localeCompare(b));
}

function fieldTotal(field: string, pauses: readonly Pause[], locale: string | undefined): string {
  const total = pauses.reduce((sum, pause) => sum + (pause.action.data![field] as number), 0);
  return `${field}: ${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(total)} in total`;
}

/** One pause's `amount`, in its `currency` when it names one: "$1,200", "amount 1,200"; null without one. */
export function amountOf(pause: Pause, locale?: string): string | null {
  const { amount, currency } = pause.action.data ?? {};
  if (typeof amount !== "number" || !Number.isFinite(amount)) return null;
  if (typeof currency === "string" && currency !== "") return money(amount, currency.toUpperCase(), locale);
  return `amount ${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(amount)}`;
}

/** "$1,840" (whole amounts without cents); a code Intl does not know stays as written: "1,840 XYZ". */
function money(total: number, currency: string, locale: string | undefined): string {
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      ...(Number.isInteger(total) && { minimumFractionDigits: 0, maximumFractionDigits: 0 }),
    }).format(total);
  } catch {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(total)} ${currency}`;
  }
}
