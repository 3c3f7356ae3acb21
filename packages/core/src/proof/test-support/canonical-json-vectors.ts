import type { CanonicalJsonVector, DigestVector } from "@countersign/verify/testing";
import { actionDigest, approvedAction } from "../action-digest.ts";
import { canonicalJson } from "../canonical-json.ts";
import { VECTOR_ACTION } from "./vector-signer.ts";

// Inputs as JSON text. The first outputs are RFC 8785's own examples, written
// out here so the generator fails if canonicalJson ever disagrees with the RFC.
const KNOWN: [name: string, input: string, canonical: string | null][] = [
  [
    "RFC 8785 3.2.2 example",
    '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  ],
  [
    "RFC 8785 3.2.3 sorting",
    '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  ],
  [
    "RFC 8785 appendix B numbers",
    "[0,-0,1e21,1e-7,9007199254740992,-1.5e-300,5e-324]",
    "[0,0,1e+21,1e-7,9007199254740992,-1.5e-300,5e-324]",
  ],
  ["nested and empty", '{"b":[],"a":{"d":{},"c":[{}]}}', '{"a":{"c":[{}],"d":{}},"b":[]}'],
  ["white space dropped", ' { "a" : [ 1 , 2 ] , "b" : "x y" } ', '{"a":[1,2],"b":"x y"}'],
  [
    "control characters and separators",
    '["\\u0000\\u001f\\u007f","\\u2028\\u2029"]',
    '["\\u0000\\u001f\u007f","\u2028\u2029"]',
  ],
  ["a lone high surrogate is refused", '{"a":"\\ud800"}', null],
  ["a lone low surrogate in a name is refused", '{"\\udc00":1}', null],
];

export function canonicalJsonVectors(): CanonicalJsonVector[] {
  return KNOWN.map(([name, input, canonical]) => {
    let actual: string | null;
    try {
      actual = canonicalJson(JSON.parse(input));
    } catch {
      actual = null;
    }
    if (actual !== canonical)
      throw new Error(`canonicalJson disagrees with the expected form for "${name}": ${actual}`);
    return { name, input_json: input, canonical };
  });
}

export async function digestVectors(): Promise<DigestVector[]> {
  const edits = { ...VECTOR_ACTION.data, amount: 10000 };
  const cases: [string, DigestVector["action"], DigestVector["edited_data"]][] = [
    ["the vector action", VECTOR_ACTION, null],
    ["the vector action with edited data", VECTOR_ACTION, edits],
    ["a bare action", { type: "payment" }, null],
    ["a bare action, edits add data", { type: "payment" }, { amount: 1 }],
  ];
  return Promise.all(
    cases.map(async ([name, action, editedData]) => ({
      name,
      action,
      edited_data: editedData,
      digest: await actionDigest(approvedAction(action, editedData)),
    })),
  );
}
