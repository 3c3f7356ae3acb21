import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** The SMTP envelope recipients (`RCPT TO`). */
  envelopeTo: string[];
  /** Who logged in to send it. */
  authenticatedAs: string | undefined;
  parsed: ParsedMail;
}

export interface SmtpInbox {
  /** `smtp://user:pass@127.0.0.1:<port>` for the e-mail channel. */
  url: string;
  received: ReceivedMail[];
  /** Turns the next `count` messages away with a temporary failure (451), as a busy server does. */
  refuseNext(count: number): void;
  /** The next message not yet taken, waiting for it to arrive. */
  nextMail(options?: { timeoutMs?: number }): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export const SMTP_USER = "countersign";
export const SMTP_PASSWORD = "p@ss word/1";

/**
 * A real SMTP server on 127.0.0.1 (port 0) that requires a login and parses
 * every message it accepts with mailparser. No TLS: loopback only.
 */
export async function startSmtpInbox(): Promise<SmtpInbox> {
  const received: ReceivedMail[] = [];
  let taken = 0;
  let refusing = 0;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onData(stream, session, callback) {
      if (refusing > 0) {
        refusing -= 1;
        stream.on("end", () =>
          callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 })),
        );
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        (parsed) => {
          received.push({
            envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
            authenticatedAs: typeof session.user === "string" ? session.user : undefined,
            parsed,
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
    received,
    refuseNext(count) {
      refusing = count;
    },
    async nextMail({ timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= taken) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no e-mail arrived in time");
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
      const mail = received[taken] as ReceivedMail;
      taken += 1;
      return mail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
