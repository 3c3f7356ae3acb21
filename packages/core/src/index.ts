// @countersign/core: the parts that run anywhere fetch and WebCrypto run.
export * from "./errors/index.ts";
export * from "./proof/index.ts";
export * from "./protocol/index.ts";
