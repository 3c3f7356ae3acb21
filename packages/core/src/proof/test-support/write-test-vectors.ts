// Writes packages/verify/test-vectors/*.json from core's real signers.
// Run: node --conditions=@countersign/source packages/core/src/proof/test-support/write-test-vectors.ts
// The keys in keys.json are reused when present, so re-running changes nothing
// unless the signer or the vectors changed (verify-test-vectors.test.ts checks that).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { TEST_VECTOR_FILE_NAMES, TEST_VECTORS_DIRECTORY } from "@countersign/verify/testing";
import { generateTestVectors } from "./generate-test-vectors.ts";
import { generateVectorKeys, type VectorKeys } from "./vector-keys.ts";

export const KEYS_FILE = new URL("keys.json", TEST_VECTORS_DIRECTORY);

export function readVectorKeys(): VectorKeys {
  return JSON.parse(readFileSync(KEYS_FILE, "utf8")) as VectorKeys;
}

/** The committed file's text for a value (two-space JSON and a newline). */
export function vectorFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

if (import.meta.main) {
  if (!existsSync(KEYS_FILE)) writeFileSync(KEYS_FILE, vectorFileText(await generateVectorKeys()));
  const files = await generateTestVectors(readVectorKeys());
  for (const [part, name] of Object.entries(TEST_VECTOR_FILE_NAMES)) {
    writeFileSync(new URL(name, TEST_VECTORS_DIRECTORY), vectorFileText(files[part as keyof typeof files]));
    console.log(`wrote test-vectors/${name}`);
  }
}
