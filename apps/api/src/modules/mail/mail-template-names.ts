export const MAIL_TEMPLATE_NAMES = [
  'activation',
  'activation-resend',
  'password-reset',
  'password-set',
  'secondary-email-activation',
] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number];

/** One message in source form: `{{path}}` placeholders, HTML-escaped in `html`. */
export interface MailTemplate {
  subject: string;
  html: string;
  text: string;
}
