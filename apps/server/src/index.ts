// The `countersign` package: the batteries-included server. Programmatic use goes through @countersign/core.
export { openStore } from "./open-store.ts";
