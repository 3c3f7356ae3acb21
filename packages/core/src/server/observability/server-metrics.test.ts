import { describe, expect, it } from "vitest";
import { createServerMetrics } from "./server-metrics.ts";

describe("the webhook queue depth gauge", () => {
  it("reads the store at each scrape", async () => {
    const metrics = createServerMetrics();
    let pending = 4;
    metrics.countQueuedDeliveries(async () => pending);
    expect(await metrics.registry.metrics()).toMatch(/^countersign_webhook_queue_depth 4$/m);
    pending = 0;
    expect(await metrics.registry.metrics()).toMatch(/^countersign_webhook_queue_depth 0$/m);
  });

  it("still answers the scrape when the store cannot be read: an unknown depth and a counted store error", async () => {
    const metrics = createServerMetrics();
    metrics.countQueuedDeliveries(() => Promise.reject(new Error("database is locked")));
    expect(await metrics.registry.metrics()).toMatch(/^countersign_webhook_queue_depth Nan$/m);
    const errors = await metrics.registry.getSingleMetric("countersign_store_errors_total")?.get();
    expect(errors?.values).toEqual([{ labels: { where: "metrics" }, value: 1 }]);
  });
});
