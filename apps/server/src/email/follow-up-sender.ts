import { newId, type Pause } from "@countersign/core";
import type { ApprovalService, FollowUpRecord, Logger, Store } from "@countersign/core/server";
import type { Transporter } from "nodemailer";
import { renderDecidedEmail } from "./decided-email.ts";

/** The store operations follow-ups need (`store` itself in the server). */
export type FollowUpStore = Pick<Store, "addFollowUp" | "leaseDueFollowUps" | "finishFollowUp">;

export interface FollowUpSenderOptions {
  store: FollowUpStore;
  transporter: Transporter;
  from: string;
  now: () => Date;
  log: Logger;
  /** How often to look for follow-ups a settled hook missed (a crash, another instance). */
  intervalMs: number;
}

/** Long enough for a slow SMTP server: a lease that ran out mid-send would let a second sender start. */
const LEASE_MS = 5 * 60_000;
const BATCH = 20;
/** About 17 hours of backing off (1 min doubling, capped at 4 h), then it is given up as `failed`. */
const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 4 * 3600_000;

/**
 * The "Decided: approved by Bob" mail to every e-mail recipient of a pause
 * but the one who decided it, once per recipient. Each is a row in the store
 * (added when the approval mail went out), so it survives a restart: any
 * instance leases the rows of settled pauses, sends, and marks them sent. A
 * process that dies after sending but before marking leaves the row to be
 * sent again when its lease runs out, with the same Message-ID, so mail
 * systems that de-duplicate show it once.
 */
export function followUpSender(options: FollowUpSenderOptions) {
  let service: ApprovalService | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  /** Records that `email` is owed a follow-up for `pause` once it is settled. */
  async function owe(pause: Pause, email: string, identity: string, messageId: string | null): Promise<void> {
    const at = options.now().toISOString();
    await options.store.addFollowUp({
      followUpId: newId("followUp"),
      pauseId: pause.pause_id,
      channel: "email",
      target: email.toLowerCase(),
      identity,
      reference: messageId,
      status: "waiting",
      attempts: 0,
      nextAttemptAt: at,
      leaseUntil: null,
      lastError: null,
      createdAt: at,
      doneAt: null,
    });
  }

  /** Sends what is due now; a call while a run is going makes it run once more. */
  function kick(): Promise<void> {
    if (stopped || !service) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    const current = service;
    running = (async () => {
      do {
        again = false;
        try {
          while ((await sendDue(current)) === BATCH) {}
        } catch (error) {
          options.log.error("e-mail follow-ups failed", { error: messageOf(error) });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  async function sendDue(current: ApprovalService): Promise<number> {
    const now = options.now();
    const due = await options.store.leaseDueFollowUps("email", now.toISOString(), BATCH, LEASE_MS);
    for (const followUp of due) await sendOne(current, followUp);
    return due.length;
  }

  async function sendOne(current: ApprovalService, followUp: FollowUpRecord): Promise<void> {
    const finish = (status: FollowUpRecord["status"], lastError: string | null, retryInMs = 0) => {
      const at = options.now();
      return options.store.finishFollowUp(followUp.followUpId, {
        status,
        lastError,
        at: at.toISOString(),
        nextAttemptAt: new Date(at.getTime() + retryInMs).toISOString(),
      });
    };
    const pause = await current.getPause(followUp.pauseId);
    if (!pause || pause.status === "pending") return finish("skipped", "the pause is gone");
    const decider = pause.decision?.decided_by;
    if (decider && decider.id.toLowerCase() === followUp.identity.toLowerCase()) {
      // They decided it themselves: they know.
      return finish("skipped", null);
    }
    const mail = renderDecidedEmail(pause);
    try {
      const sent = await options.transporter.sendMail({
        from: options.from,
        to: followUp.target,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // The same id on every attempt: a resend after a crash is recognisably the same message.
        messageId: `<${followUp.followUpId}@${senderDomain(options.from)}>`,
        ...(followUp.reference && { inReplyTo: followUp.reference, references: [followUp.reference] }),
        headers: { "Auto-Submitted": "auto-generated", "X-Countersign-Pause": pause.pause_id },
      });
      await finish("sent", null);
      await current
        .recordEvent(
          pause.pause_id,
          "pause.notified",
          { kind: "system", id: "email" },
          {
            channel: "email",
            target: followUp.target,
            identity: followUp.identity,
            message_id: sent.messageId,
            follow_up: pause.status,
          },
        )
        .catch((error: unknown) =>
          options.log.error("e-mail follow-up sent but not audited", {
            pause_id: pause.pause_id,
            error: messageOf(error),
          }),
        );
    } catch (error) {
      const attempts = followUp.attempts + 1;
      const retryInMs = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS);
      options.log.error("e-mail follow-up not sent", {
        pause_id: pause.pause_id,
        attempt: attempts,
        error: messageOf(error),
      });
      await finish(attempts >= MAX_ATTEMPTS ? "failed" : "waiting", messageOf(error), retryInMs);
    }
  }

  return {
    owe,
    kick,
    start(current: ApprovalService) {
      service = current;
      stopped = false;
      timer = setInterval(() => void kick(), options.intervalMs);
      timer.unref?.();
      void kick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match?.[1] ?? "countersign.invalid";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
