import { readFileSync } from "node:fs";
import type { TestVectorFiles } from "./vector-types.ts";

/** Where the vector files live: `test-vectors/` at the package root (from src/ and from dist/ alike). */
export const TEST_VECTORS_DIRECTORY = new URL("../../test-vectors/", import.meta.url);

export const TEST_VECTOR_FILE_NAMES = {
  proofs: "proofs.json",
  webhooks: "webhooks.json",
  canonicalJson: "canonical-json.json",
  digests: "action-digests.json",
} as const satisfies Record<keyof TestVectorFiles, string>;

/** The committed vector files, parsed. */
export function loadTestVectors(): TestVectorFiles {
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, TEST_VECTORS_DIRECTORY), "utf8"));
  return {
    proofs: read(TEST_VECTOR_FILE_NAMES.proofs),
    webhooks: read(TEST_VECTOR_FILE_NAMES.webhooks),
    canonicalJson: read(TEST_VECTOR_FILE_NAMES.canonicalJson),
    digests: read(TEST_VECTOR_FILE_NAMES.digests),
  };
}
