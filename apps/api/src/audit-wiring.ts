import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from './logger.js';
import type { AuditAction, AuditEntry, AuditLog } from './modules/audit/audit.service.js';
import type { AppEventBus, AppEvents } from './modules/events/app-events.js';

const PASSWORD_ACTIONS: Record<AppEvents['passwordChanged']['via'], AuditAction> = {
  reset: 'account.password_reset',
  set: 'account.password_set',
  change: 'account.password_change',
};
const EMAIL_ACTIONS: Record<AppEvents['emailChanged']['change'], AuditAction> = {
  secondary_requested: 'account.email_add_requested',
  secondary_verified: 'account.email_add',
  swapped: 'account.email_swap',
  secondary_removed: 'account.email_remove',
};
const SESSION_ACTIONS: Record<AppEvents['sessionsRevoked']['scope'], AuditAction> = {
  one: 'session.revoke',
  others: 'session.revoke_others',
  all: 'session.revoke_all',
  logout: 'session.logout',
};

/** An entry the user caused about their own account. Never an address: only which change it was. */
const own = (userId: number, action: AuditAction, metadata: Record<string, unknown> = {}): AuditEntry => ({
  action,
  actorId: userId,
  targetType: 'user',
  targetId: userId,
  metadata,
});

/**
 * Every account event goes to the audit log beside sign-ins and admin actions. Handlers run after
 * the operation committed (the bus's rule), each in a fresh EntityManager: the audit write cannot
 * roll back or fail what it records (a failed write is logged by the bus).
 */
export function auditAccountEvents(deps: {
  events: AppEventBus;
  audit: AuditLog;
  em: () => EntityManager;
  logger: Logger;
}): void {
  const { events } = deps;
  const write = (entry: AuditEntry) => deps.audit.record(deps.em(), entry);
  events.on('userRegistered', ({ user, passwordless }) =>
    write(own(user.id, 'account.register', { passwordless })),
  );
  events.on('userVerified', ({ user }) => write(own(user.id, 'account.verify')));
  events.on('passwordChanged', ({ user, via }) => write(own(user.id, PASSWORD_ACTIONS[via])));
  events.on('accountArchived', ({ user }) => write(own(user.id, 'account.archive')));
  events.on('accountDeleted', ({ user, hard }) => write(own(user.id, 'account.delete', { hard })));
  events.on('emailChanged', ({ user, change }) => write(own(user.id, EMAIL_ACTIONS[change])));
  events.on('sessionsRevoked', ({ userId, scope, count }) =>
    write(own(userId, SESSION_ACTIONS[scope], { count })),
  );
  events.on('refreshTokenReused', ({ userId, familyId, revoked, ip, userAgent }) =>
    // Nobody signed in acted: the presenter is presumably not the user.
    write({
      action: 'token.reuse_detected',
      actorId: null,
      targetType: 'user',
      targetId: userId,
      metadata: { session: familyId, revoked },
      ip,
      userAgent,
    }),
  );
}
