import { afterEach, describe, expect, it } from "vitest";
import type { TeamsUser } from "./approver-directory.ts";
import { FINANCE_CONVERSATION, USERS } from "./test-support/teams-activities.ts";
import { startTeamsHarness, type TeamsHarness } from "./test-support/teams-harness.ts";

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const cardId = "1795255200001";

describe("who a Teams user is", () => {
  it("maps by Entra object id alone by default: no roster lookup, no e-mail", async () => {
    const seen: TeamsUser[] = [];
    harness = await startTeamsHarness({
      approvers: (user) => {
        seen.push(user);
        return user.aadObjectId === USERS.bob.aadObjectId ? "bob@example.com" : null;
      },
    });
    const pause = await harness.openPause();
    harness.api.reset();
    await harness.click({
      user: "bob",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(seen).toEqual([{ id: USERS.bob.id, aadObjectId: USERS.bob.aadObjectId }]);
    expect((await harness.getPause(pause.pause_id)).decision?.decided_by.id).toBe("bob@example.com");
    expect(harness.api.calls.filter((call) => call.method === "GET")).toEqual([]);
  });

  it("with matchEmail, reads the clicker's UPN and e-mail from the conversation's roster", async () => {
    harness = await startTeamsHarness(
      {
        matchEmail: true,
        approvers: (user) => (user.email === "carol@example.com" ? "carol@example.com" : null),
      },
      {
        members: {
          [USERS.mallory.id]: {
            userPrincipalName: "carol@contoso.onmicrosoft.com",
            email: "carol@example.com",
          },
        },
      },
    );
    const pause = await harness.openPause();
    harness.api.reset();
    await harness.click({
      user: "mallory",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(harness.api.calls.filter((call) => call.method === "GET").map((call) => call.path)).toEqual([
      `/emea/v3/conversations/${FINANCE_CONVERSATION}/members/${USERS.mallory.id}`,
    ]);
    expect((await harness.getPause(pause.pause_id)).decision?.decided_by).toEqual({
      kind: "human",
      id: "carol@example.com",
      channel: "teams",
    });
  });
});
