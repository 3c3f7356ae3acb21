import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { MAX_PUSH_TITLE, plainTitle, pushMessage } from "./push-message.ts";

describe("what a push carries", () => {
  const pause = {
    pause_id: "pau_1",
    action: {
      type: "payment",
      title: "Pay Acme",
      description: "secret description",
      body: "secret body",
      data: { iban: "DE89…" },
      risk: "critical",
    },
    links: { inbox: "https://approvals.example.com/inbox/pauses/pau_1" },
  } as unknown as Pause;

  it("is the title, the risk and the card's link: no description, body or arguments", () => {
    const message = pushMessage(pause);
    expect(message).toEqual({
      v: 1,
      type: "pause.routed",
      pause_id: "pau_1",
      title: "Pay Acme",
      risk: "critical",
      url: "https://approvals.example.com/inbox/pauses/pau_1",
    });
    expect(JSON.stringify(message)).not.toMatch(/secret|DE89/);
  });

  it("says what waits when the agent gave no title", () => {
    const untitled = { ...pause, action: { type: "payment" } } as unknown as Pause;
    expect(pushMessage(untitled)).toMatchObject({
      title: "An action is waiting for your approval",
      risk: null,
    });
  });
});

describe("the title in a push", () => {
  it("is one line of plain text: controls and direction overrides become spaces", () => {
    expect(plainTitle("Pay\nAcme\u0000Corp\u202e$12,450\u2066")).toBe("Pay Acme Corp $12,450");
    expect(plainTitle("  <b>Pay</b> \t Acme  ")).toBe("<b>Pay</b> Acme");
    expect(plainTitle(" \n\u200f ")).toBeNull();
    expect(plainTitle(undefined)).toBeNull();
  });

  it(`is cut to ${MAX_PUSH_TITLE} characters with an ellipsis, never inside a surrogate pair`, () => {
    const cut = plainTitle("💸".repeat(500))!;
    expect(Array.from(cut)).toHaveLength(MAX_PUSH_TITLE);
    expect(cut.endsWith("💸…")).toBe(true);
    expect(plainTitle("a".repeat(MAX_PUSH_TITLE))).toBe("a".repeat(MAX_PUSH_TITLE));
  });
});
