import type { AuditLog } from '../audit/audit.service.js';
import type { PermissionService } from '../permissions/permission.service.js';
import type { AdminService } from './admin.service.js';

declare module '../base/graphql-context.js' {
  interface ContextServices {
    admin: AdminService;
    permissions: PermissionService;
    audit: AuditLog;
  }
}
