// Encodings and SHA-256 from @countersign/verify (node:crypto on Node, WebCrypto elsewhere).
export {
  fromBase64,
  fromHex,
  sha256Hex,
  timingSafeEqual,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from "@countersign/verify";
