import type { ActivityParams } from "@microsoft/teams.api";
import type { App } from "@microsoft/teams.apps";
import type { TeamsCard } from "./card/adaptive-card.ts";

/** Where one card lives: enough to update it in place, also after a restart. */
export interface CardLocation {
  /** The conversation it was posted to (a channel thread's `;messageid=` suffix is dropped). */
  conversationId: string;
  /** The message's activity id, as the Bot Connector returned it. */
  activityId: string;
  serviceUrl: string;
}

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

/**
 * The Bot Connector calls this channel makes, through the Teams SDK's API
 * client (which gets and renews the app's token): post a card, update it in
 * place, and read one member of a conversation.
 */
export function createBotConnector(app: () => Promise<App>) {
  async function client(serviceUrl: string) {
    return (await app()).api.clone({ serviceUrl });
  }

  function cardActivity(message: TeamsCard): ActivityParams {
    return {
      type: "message",
      // Teams shows `summary` in notifications and the activity feed instead of "sent a card".
      summary: message.summary,
      attachments: [{ contentType: ADAPTIVE_CARD, content: message.card }],
    } as ActivityParams;
  }

  return {
    /** Posts a card; resolves with the new message's activity id. */
    async postCard(target: { conversationId: string; serviceUrl: string }, message: TeamsCard) {
      const sent = await (await client(target.serviceUrl)).conversations.createActivity(
        target.conversationId,
        cardActivity(message),
      );
      if (!sent?.id) throw new Error("the Bot Connector returned no activity id");
      return sent.id;
    },
    /** Replaces a posted card for everyone in the conversation. */
    async updateCard(location: CardLocation, message: TeamsCard): Promise<void> {
      await (await client(location.serviceUrl)).conversations.updateActivity(
        location.conversationId,
        location.activityId,
        cardActivity(message),
      );
    },
    /** UPN and e-mail of a conversation member, from Teams' roster. */
    async member(serviceUrl: string, conversationId: string, userId: string) {
      const member = await (await client(serviceUrl)).conversations.getMemberById(conversationId, userId);
      return { userPrincipalName: member.userPrincipalName ?? null, email: member.email ?? null };
    },
  };
}

export type BotConnector = ReturnType<typeof createBotConnector>;

/** A channel thread's conversation id carries `;messageid=…`; updates address the channel itself. */
export function baseConversationId(conversationId: string): string {
  const cut = conversationId.indexOf(";messageid=");
  return cut === -1 ? conversationId : conversationId.slice(0, cut);
}
