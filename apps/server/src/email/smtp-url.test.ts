import { describe, expect, it } from "vitest";
import { describeSmtpUrl, smtpOptionsFromUrl } from "./smtp-url.ts";

describe("smtpOptionsFromUrl", () => {
  it("reads smtp:// as STARTTLS on 587 and decodes the credentials", () => {
    expect(smtpOptionsFromUrl("smtp://mailer%40acme.com:p%40ss%2Fword@mail.acme.com")).toMatchObject({
      host: "mail.acme.com",
      port: 587,
      secure: false,
      auth: { user: "mailer@acme.com", pass: "p@ss/word" },
    });
  });

  it("reads smtps:// as TLS from the start on 465, with an explicit port when given", () => {
    expect(smtpOptionsFromUrl("smtps://user:pass@mail.acme.com")).toMatchObject({ port: 465, secure: true });
    expect(smtpOptionsFromUrl("smtps://mail.acme.com:2465")).toMatchObject({ port: 2465, secure: true });
    expect(smtpOptionsFromUrl("smtps://mail.acme.com").auth).toBeUndefined();
  });

  it("takes requireTLS, ignoreTLS and tls.rejectUnauthorized from the query", () => {
    expect(
      smtpOptionsFromUrl("smtp://relay.internal:25?requireTLS=true&tls.rejectUnauthorized=false"),
    ).toMatchObject({ port: 25, requireTLS: true, tls: { rejectUnauthorized: false } });
  });

  it("refuses what it cannot use, naming the problem", () => {
    expect(() => smtpOptionsFromUrl("https://mail.acme.com")).toThrow("must start with smtp:// or smtps://");
    expect(() => smtpOptionsFromUrl("mail.acme.com:587")).toThrow(/smtp:\/\/ or smtps:\/\/|not a URL/);
    expect(() => smtpOptionsFromUrl("smtp://mail.acme.com?pool=true")).toThrow("unknown parameter pool");
    expect(() => smtpOptionsFromUrl("smtp://mail.acme.com?requireTLS=yes")).toThrow("must be true or false");
  });

  it("hides the password when the URL is shown", () => {
    expect(describeSmtpUrl("smtp://user:secret@mail.acme.com:587")).toBe("smtp://user:***@mail.acme.com:587");
  });
});
