// RFC 8785 canonical JSON: the one implementation is @countersign/verify's.
export { canonicalJson } from "@countersign/verify";
