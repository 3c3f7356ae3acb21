export { type EmailChannel, emailChannel } from "./email-channel.ts";
export { emailChannelFromEnv } from "./email-from-env.ts";
export type { EmailChannelOptions } from "./email-options.ts";
export type { SignInMail } from "./sign-in-email.ts";
export { describeSmtpUrl, smtpOptionsFromUrl } from "./smtp-url.ts";
