import type { ErrorCode } from '../../../__generated__/schema-types.generated.js';

/** The French catalogue of expected-error messages; same keys as the English one (`tsc` checks). */
export const errorMessagesFr = {
  unauthenticated: 'Non authentifié.',
  not_verified: 'Veuillez vérifier votre compte.',
  invalid_password: 'Mot de passe invalide.',
  invalid_token: 'Jeton invalide.',
  expired_token: 'Jeton expiré.',
  already_verified: 'Compte déjà vérifié.',
  email_fail: 'L’envoi de l’e-mail a échoué.',
  invalid_credentials: 'Veuillez saisir des identifiants valides.',
  unique: 'Un utilisateur avec cette valeur existe déjà.',
  secondary_email_required: 'Il vous faut un e-mail secondaire pour effectuer cette action.',
  password_already_set: 'Le mot de passe de ce compte est déjà défini.',
  required: 'Ce champ est obligatoire.',
  invalid: 'Saisissez une valeur valide.',
  max_length: 'Assurez-vous que cette valeur n’est pas trop longue.',
  password_mismatch: 'Les deux mots de passe ne correspondent pas.',
  password_too_short: 'Ce mot de passe est trop court. Il doit contenir au moins 8 caractères.',
  password_too_common: 'Ce mot de passe est trop courant.',
  password_entirely_numeric: 'Ce mot de passe est entièrement numérique.',
  password_too_similar: 'Le mot de passe est trop semblable aux informations de l’utilisateur.',
  password_too_long: 'Ce mot de passe est trop long. Il doit faire au plus 72 octets.',
  rate_limited: 'Trop de tentatives. Réessayez plus tard.',
} as const satisfies Record<ErrorCode, string>;
