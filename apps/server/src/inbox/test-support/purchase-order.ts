import type { Action } from "@countersign/core";

/** A 200-line purchase order: the long card an approver meets on a phone. */
export function purchaseOrder(lineCount = 200): Action {
  const lines = Array.from({ length: lineCount }, (_, index) => ({
    sku: `SKU-${String(index + 1).padStart(4, "0")}`,
    item: `Ergonomic office chair, model ${index + 1}`,
    qty: (index % 5) + 1,
    unit_price: 189 + index,
  }));
  const total = lines.reduce((sum, line) => sum + line.qty * line.unit_price, 0);
  return {
    type: "purchase_order",
    title: `Purchase order PO-88231: ${lineCount} lines from Contoso`,
    description: "Office refit for the Lisbon site",
    body: [
      "**Contoso Ltd** quoted the Lisbon office refit.",
      "",
      ...lines.map((line) => `- ${line.sku}: ${line.item}, ${line.qty} × €${line.unit_price}`),
    ].join("\n"),
    data: { po_number: "PO-88231", supplier: "Contoso Ltd", currency: "EUR", total, lines },
    risk: "critical",
  };
}
