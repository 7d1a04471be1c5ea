import type { RequestErrorCatalogue } from './request-error-catalogue.js';

/** The French request-error messages; same codes, cases and placeholders as the English ones. */
export const requestErrorMessagesFr: RequestErrorCatalogue = {
  UNAUTHENTICATED: {
    signIn: 'Vous devez être connecté pour faire cela.',
    field: '`{field}` : vous devez être connecté pour faire cela.',
  },
  FORBIDDEN: {
    verify: '`{field}` : vérifiez d’abord votre adresse e-mail.',
    staff: '`{field}` : réservé à l’équipe.',
    superuser: '`{field}` : réservé aux super-utilisateurs.',
    permission: '`{field}` : il faut la permission `{permission}`.',
    superuserAccount: 'Seul un super-utilisateur peut modifier le compte d’un super-utilisateur.',
  },
  NOT_FOUND: { user: 'Utilisateur inconnu.' },
  BAD_USER_INPUT: {
    cursor: '`{argument}` n’est pas un curseur valide de cette liste.',
    pageSize: '`{argument}` doit être un entier positif ou nul.',
    firstOrLast: 'Donnez `first` ou `last`, pas les deux.',
  },
  BAD_REQUEST: { json: 'Le corps de la requête n’est pas du JSON valide.', other: 'Requête invalide.' },
  PAYLOAD_TOO_LARGE: { body: 'Le corps de la requête dépasse {limit}.' },
  CSRF_FAILED: {
    origin: 'Requête intersite refusée : origine non autorisée.',
    token: 'Échec du contrôle CSRF : renvoyez le cookie CSRF dans l’en-tête x-csrf-token.',
  },
  INTERNAL_SERVER_ERROR: { unexpected: 'Erreur inattendue.' },
  SERVICE_UNAVAILABLE: { dependency: 'Service momentanément indisponible' },
  RATE_LIMITED: { requests: 'Trop de requêtes. Réessayez plus tard.' },
  REQUEST_TIMEOUT: { body: 'Le corps de la requête arrive trop lentement.' },
  MAX_TOKENS_EXCEEDED: { limit: 'Limite de {limit} jetons dépassée : le document est trop long.' },
  MAX_DEPTH_EXCEEDED: { limit: 'Limite de profondeur de {limit} dépassée : {found} niveaux.' },
  MAX_ALIASES_EXCEEDED: { limit: 'Limite de {limit} alias dépassée : {found} alias.' },
  MAX_ROOT_FIELDS_EXCEEDED: { limit: 'Limite de {limit} champs racine dépassée : {found} champs.' },
  MAX_DIRECTIVES_EXCEEDED: { limit: 'Limite de {limit} directives dépassée : {found} directives.' },
  MAX_COST_EXCEEDED: { limit: 'Limite de coût de {limit} dépassée : coût estimé {found}.' },
  MAX_EXPENSIVE_FIELDS_EXCEEDED: {
    limit:
      'Au plus {limit} champ qui hache un mot de passe ou envoie un e-mail par opération : {found} trouvés ({fields}).',
  },
  INTROSPECTION_DISABLED: { disabled: 'L’introspection est désactivée sur ce serveur.' },
  SERVICE_BUSY: { hasher: 'Le serveur est occupé ; réessayez dans un instant.' },
};
