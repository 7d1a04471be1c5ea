/** Messages that carry an email token (the account flows). */
export const ACCOUNT_MAIL_TEMPLATE_NAMES = [
  'activation',
  'activation-resend',
  'password-reset',
  'password-set',
  'secondary-email-activation',
] as const;
export type AccountMailTemplateName = (typeof ACCOUNT_MAIL_TEMPLATE_NAMES)[number];

/** Security notices: they tell the user what happened to the account and carry no token. */
export const NOTICE_TEMPLATE_NAMES = [
  'notice-password-changed',
  'notice-email-changed',
  'notice-new-device',
  'notice-refresh-reuse',
] as const;
export type NoticeTemplateName = (typeof NOTICE_TEMPLATE_NAMES)[number];

export const MAIL_TEMPLATE_NAMES = [...ACCOUNT_MAIL_TEMPLATE_NAMES, ...NOTICE_TEMPLATE_NAMES] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number];

/** One message in source form: `{{path}}` placeholders, HTML-escaped in `html`. */
export interface MailTemplate {
  subject: string;
  html: string;
  text: string;
}
