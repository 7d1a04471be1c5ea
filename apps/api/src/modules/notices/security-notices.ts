import type { EntityManager } from '@mikro-orm/postgresql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import type { Logger } from '../../logger.js';
import { type Locale, supportedLocale } from '../base/locale.js';
import type { AppEventBus, UserSnapshot } from '../events/app-events.js';
import type { MailTemplates, NoticeTemplateName } from '../mail/mail-templates.js';
import type { Mailer } from '../mail/mailer.js';
import { User } from '../users/user.entity.js';
import { describeSignIn } from './device-description.js';
import { deviceFingerprint } from './device-fingerprint.js';

/** Which notices go out (NOTIFY_* settings); each can be turned off on its own. */
export interface NoticeSettings {
  passwordChanged: boolean;
  emailChanged: boolean;
  newDevice: boolean;
  refreshReuse: boolean;
}

export interface SecurityNoticesDeps {
  events: AppEventBus;
  /** The same mailer port the account mail uses (whatever transport or outbox sits behind it). */
  mailer: Mailer;
  templates: MailTemplates;
  /** A fresh EntityManager: notices read after the operation committed, outside its transaction. */
  em: () => EntityManager;
  logger: Logger;
  siteName: string;
  publicAppUrl: string;
  settings: NoticeSettings;
}

/** How many earlier sign-ins are compared to tell a new device from a known one. */
const KNOWN_DEVICE_WINDOW = 200;

/**
 * Security notices by email, subscribed to the event bus. Each send is started, not awaited: the
 * operation that triggered it (already committed) neither waits for SMTP nor fails with it; a
 * failed send is logged without the address.
 */
export function subscribeSecurityNotices(deps: SecurityNoticesDeps): void {
  const { settings, events } = deps;
  // The web app's "forgot password" page: a reset ends every session.
  const secureLink = `${deps.publicAppUrl}/password-forgot`;
  const when = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

  /** Started, never awaited: the triggering request neither waits for this nor fails with it. */
  const detached = (name: NoticeTemplateName, userId: number, work: () => Promise<void>) => {
    void work().catch((err: unknown) => {
      deps.logger.warn({ notice: name, userId, err }, 'security notice not sent');
    });
  };

  /** Variables of one notice; a function of the locale when some are words (a device's description). */
  type Extra = Record<string, string> | ((locale: Locale | null) => Record<string, string>);

  /** Renders in the user's stored language (English for none, or for a deleted user) and sends. */
  const deliver = async (name: NoticeTemplateName, snapshot: UserSnapshot, to: string, extra: Extra) => {
    const stored = await deps.em().findOne(User, { id: snapshot.id });
    const language = stored?.language ?? null;
    const variables = {
      user: {
        username: snapshot.username,
        email: snapshot.email,
        firstName: stored?.firstName ?? '',
        lastName: stored?.lastName ?? '',
      },
      link: secureLink,
      token: '',
      siteName: deps.siteName,
      publicAppUrl: deps.publicAppUrl,
      email: to,
      validFor: '',
      ...(typeof extra === 'function' ? extra(supportedLocale(language)) : extra),
    };
    await deps.mailer.send({ to, ...deps.templates.render(name, variables, language) });
  };
  const send = (name: NoticeTemplateName, user: UserSnapshot, to: string, extra: Extra) =>
    detached(name, user.id, () => deliver(name, user, to, extra));

  if (settings.passwordChanged) {
    events.on('passwordChanged', ({ user, at, via }) => {
      // A first password (passwordless sign-up) is not a change worth a warning.
      if (via !== 'set') send('notice-password-changed', user, user.email, { occurredAt: when(at) });
    });
  }
  if (settings.emailChanged) {
    events.on('emailChanged', ({ user, at, change, previousEmail }) => {
      // To the old address: whoever took the account may have taken the new one too.
      if (change === 'swapped' && previousEmail)
        send('notice-email-changed', user, previousEmail, { occurredAt: when(at) });
    });
  }
  if (settings.refreshReuse) {
    events.on('refreshTokenReused', ({ userId, at }) =>
      detached('notice-refresh-reuse', userId, async () => {
        const user = await deps.em().findOne(User, { id: userId });
        if (user?.isActive) await deliver('notice-refresh-reuse', user, user.email, { occurredAt: when(at) });
      }),
    );
  }
  if (settings.newDevice) {
    events.on('userSignedIn', ({ user, at, ip, userAgent }) =>
      detached('notice-new-device', user.id, async () => {
        const earlier = await earlierSignIns(deps.em(), user.id);
        // The first sign-in of an account is not news; nor is a device seen before.
        if (earlier.length === 0) return;
        const device = deviceFingerprint(userAgent, ip);
        if (earlier.some((row) => deviceFingerprint(row.user_agent, row.ip) === device)) return;
        await deliver('notice-new-device', user, user.email, (locale) => ({
          occurredAt: when(at),
          ...describeSignIn(userAgent, ip, locale),
        }));
      }),
    );
  }
}

/** The user's successful sign-ins before the newest one (which is the sign-in being judged). */
async function earlierSignIns(em: EntityManager, userId: number) {
  const rows = await createMikroOrmSqlClient(em).query<{ ip: string | null; user_agent: string | null }>(
    `select "ip", "user_agent" from "audit_log"
      where "action" = 'auth.sign_in' and "target_type" = 'user' and "target_id" = ?
      order by "id" desc limit ?`,
    [String(userId), KNOWN_DEVICE_WINDOW + 1],
  );
  return rows.slice(1);
}
