import type { Resolvers } from '../__generated__/resolvers-types.generated.js';
import { archiveAccount } from '../modules/account/resolvers/Mutation/archiveAccount.js';
import { deleteAccount } from '../modules/account/resolvers/Mutation/deleteAccount.js';
import { passwordChange } from '../modules/account/resolvers/Mutation/passwordChange.js';
import { passwordReset } from '../modules/account/resolvers/Mutation/passwordReset.js';
import { passwordSet } from '../modules/account/resolvers/Mutation/passwordSet.js';
import { removeSecondaryEmail } from '../modules/account/resolvers/Mutation/removeSecondaryEmail.js';
import { resendActivationEmail } from '../modules/account/resolvers/Mutation/resendActivationEmail.js';
import { sendPasswordResetEmail } from '../modules/account/resolvers/Mutation/sendPasswordResetEmail.js';
import { sendSecondaryEmailActivation } from '../modules/account/resolvers/Mutation/sendSecondaryEmailActivation.js';
import { swapEmails } from '../modules/account/resolvers/Mutation/swapEmails.js';
import { updateAccount } from '../modules/account/resolvers/Mutation/updateAccount.js';
import { verifyAccount } from '../modules/account/resolvers/Mutation/verifyAccount.js';
import { verifySecondaryEmail } from '../modules/account/resolvers/Mutation/verifySecondaryEmail.js';
import { activateUser } from '../modules/admin/resolvers/Mutation/activateUser.js';
import { addUserToGroup } from '../modules/admin/resolvers/Mutation/addUserToGroup.js';
import { archiveUser } from '../modules/admin/resolvers/Mutation/archiveUser.js';
import { createGroup } from '../modules/admin/resolvers/Mutation/createGroup.js';
import { deactivateUser } from '../modules/admin/resolvers/Mutation/deactivateUser.js';
import { grantPermission } from '../modules/admin/resolvers/Mutation/grantPermission.js';
import { removePermission } from '../modules/admin/resolvers/Mutation/removePermission.js';
import { removeUserFromGroup } from '../modules/admin/resolvers/Mutation/removeUserFromGroup.js';
import { revokeUserTokens } from '../modules/admin/resolvers/Mutation/revokeUserTokens.js';
import { setStaff } from '../modules/admin/resolvers/Mutation/setStaff.js';
import { unarchiveUser } from '../modules/admin/resolvers/Mutation/unarchiveUser.js';
import { verifyUser } from '../modules/admin/resolvers/Mutation/verifyUser.js';
import { groups } from '../modules/admin/resolvers/Query/groups.js';
import { permissions } from '../modules/admin/resolvers/Query/permissions.js';
import { userPermissions } from '../modules/admin/resolvers/Query/userPermissions.js';
import { userSessions } from '../modules/admin/resolvers/Query/userSessions.js';
import { auditLog } from '../modules/audit/resolvers/Query/auditLog.js';
import { register } from '../modules/auth/resolvers/Mutation/register.js';
import { tokenAuth } from '../modules/auth/resolvers/Mutation/tokenAuth.js';
import { verifyToken } from '../modules/auth/resolvers/Mutation/verifyToken.js';
import { logout } from '../modules/sessions/resolvers/Mutation/logout.js';
import { revokeAllSessions } from '../modules/sessions/resolvers/Mutation/revokeAllSessions.js';
import { revokeOtherSessions } from '../modules/sessions/resolvers/Mutation/revokeOtherSessions.js';
import { revokeSession } from '../modules/sessions/resolvers/Mutation/revokeSession.js';
import { sessions } from '../modules/sessions/resolvers/Query/sessions.js';
import { deleteRefreshTokenCookie } from '../modules/tokens/resolvers/Mutation/deleteRefreshTokenCookie.js';
import { deleteTokenCookie } from '../modules/tokens/resolvers/Mutation/deleteTokenCookie.js';
import { refreshToken } from '../modules/tokens/resolvers/Mutation/refreshToken.js';
import { revokeToken } from '../modules/tokens/resolvers/Mutation/revokeToken.js';
import { me } from '../modules/users/resolvers/Query/me.js';
import { user } from '../modules/users/resolvers/Query/user.js';
import { users } from '../modules/users/resolvers/Query/users.js';
import { UserNode } from '../modules/users/resolvers/UserNode.js';
import { DateTimeScalar, ExpectedErrorsScalar, GenericScalar } from './scalars.js';

/**
 * The whole resolver map. `satisfies Resolvers` with root fields required by codegen: a field added
 * to the SDL without a resolver here is a type error.
 */
export const resolvers = {
  Query: { me, user, users, userSessions, permissions, groups, userPermissions, auditLog, sessions },
  Mutation: {
    verifyAccount,
    resendActivationEmail,
    sendPasswordResetEmail,
    passwordReset,
    passwordSet,
    passwordChange,
    updateAccount,
    archiveAccount,
    deleteAccount,
    sendSecondaryEmailActivation,
    verifySecondaryEmail,
    swapEmails,
    removeSecondaryEmail,
    register,
    tokenAuth,
    verifyToken,
    refreshToken,
    revokeToken,
    deleteTokenCookie,
    deleteRefreshTokenCookie,
    revokeSession,
    revokeOtherSessions,
    revokeAllSessions,
    logout,
    archiveUser,
    unarchiveUser,
    activateUser,
    deactivateUser,
    verifyUser,
    setStaff,
    revokeUserTokens,
    grantPermission,
    removePermission,
    createGroup,
    addUserToGroup,
    removeUserFromGroup,
  },
  UserNode,
  DateTime: DateTimeScalar,
  ExpectedErrors: ExpectedErrorsScalar,
  GenericScalar,
} satisfies Resolvers;
