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
import { register } from '../modules/auth/resolvers/Mutation/register.js';
import { tokenAuth } from '../modules/auth/resolvers/Mutation/tokenAuth.js';
import { verifyToken } from '../modules/auth/resolvers/Mutation/verifyToken.js';
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
  Query: { me, user, users },
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
  },
  UserNode,
  DateTime: DateTimeScalar,
  ExpectedErrors: ExpectedErrorsScalar,
  GenericScalar,
} satisfies Resolvers;
