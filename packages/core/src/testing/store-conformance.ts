import { afterEach, beforeEach, describe } from "vitest";
import type { Store } from "../store/store.ts";
import { describeAccessConformance } from "./store-conformance-access.ts";
import { describeAuditConformance } from "./store-conformance-audit.ts";
import { describeDecisionConformance } from "./store-conformance-decisions.ts";
import { describeDelegationConformance } from "./store-conformance-delegations.ts";
import { describeDeliveryConformance } from "./store-conformance-deliveries.ts";
import type { StoreHarness } from "./store-conformance-fixtures.ts";
import { describeFollowUpConformance } from "./store-conformance-follow-ups.ts";
import {
  describeEscalationConformance,
  describeGovernanceConformance,
} from "./store-conformance-governance.ts";
import { describeGrantConformance } from "./store-conformance-grants.ts";
import { describePauseConformance } from "./store-conformance-pauses.ts";
import { describePushSubscriptionConformance } from "./store-conformance-push.ts";
import { describeReceiptConformance } from "./store-conformance-receipts.ts";
import { describeSealingConformance } from "./store-conformance-sealing.ts";
import { describeWebhookEndpointConformance } from "./store-conformance-webhook-endpoints.ts";

export interface ConformanceStore {
  store: Store;
  /** Closes the store and removes what it stored (temp file, schema). */
  cleanup: () => Promise<void>;
  /**
   * Opens another store on the same data, as a second server instance would
   * (SQLite: the same file; Postgres: the same database). Enables the sealing
   * tests with writers in two instances; the suite closes what it opens.
   */
  openAnother?: () => Promise<Store>;
}

/**
 * The behaviour every `Store` backend must share, as vitest tests. `makeStore`
 * is called before each test and must return a fresh, empty store; the suite
 * runs `migrate()` on it and calls `cleanup()` afterwards.
 *
 * ```ts
 * describeStoreConformance("postgres", async () => ({ store: postgresStore(pool), cleanup: … }));
 * ```
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<ConformanceStore>): void {
  describe(`Store conformance: ${name}`, () => {
    let current: ConformanceStore | null = null;
    const others: Store[] = [];
    const harness: StoreHarness = {
      get store() {
        if (current === null) throw new Error("the conformance store is only available inside a test");
        return current.store;
      },
      get openAnother() {
        const open = current?.openAnother;
        if (!open) return undefined;
        return async () => {
          const other = await open();
          others.push(other);
          return other;
        };
      },
    };

    beforeEach(async () => {
      current = await makeStore();
      await current.store.migrate();
    });

    afterEach(async () => {
      const finished = current;
      current = null;
      for (const other of others.splice(0)) await other.close();
      await finished?.cleanup();
    });

    describePauseConformance(harness);
    describeDecisionConformance(harness);
    describeReceiptConformance(harness);
    describeDeliveryConformance(harness);
    describeFollowUpConformance(harness);
    describeAuditConformance(harness);
    describeGovernanceConformance(harness);
    describeEscalationConformance(harness);
    describeAccessConformance(harness);
    describeSealingConformance(harness);
    describeGrantConformance(harness);
    describeWebhookEndpointConformance(harness);
    describeDelegationConformance(harness);
    describePushSubscriptionConformance(harness);
  });
}
