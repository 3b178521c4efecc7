// AWS Lambda behind a function URL: UserSigs for the callers your identity provider vouches for.
// Secrets are resolved into the function's environment at deploy time (template.yaml), never kept in this folder.
// Rate limits are per execution environment: approximate across concurrent instances (docs/deploy.md).
import { configFromEnv, createHandler } from '@usersig/edge'
import { lambdaHandler } from '@usersig/edge/lambda'

// Settings are the service's environment variables (docs/deploy.md): USERSIG_SDKAPPID, USERSIG_SECRET_KEY (secret),
// USERSIG_JWT_SECRET (secret) or USERSIG_JWKS_URL + USERSIG_JWT_AUDIENCE, USERSIG_CORS_ORIGINS, USERSIG_RATE_LIMIT_PER_USER.
// Who may enter which room is decided here (policy.privateMapKey in docs/service.md):
const policy = { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*'], privileges: 'audience' }] } }

export const handler = lambdaHandler(createHandler({ ...configFromEnv(process.env), policy }, { env: process.env }))
