// Tencent Cloud SCF behind API Gateway: UserSigs for the callers your identity provider vouches for.
// Secrets are the function's environment variables, set from your deploy environment (serverless.yml), never a file.
// Rate limits are per instance: approximate across concurrent instances (docs/deploy.md).
import { configFromEnv, createHandler } from '@usersig/edge'
import { scfHandler } from '@usersig/edge/scf'

// Settings are the service's environment variables (docs/deploy.md): USERSIG_SDKAPPID, USERSIG_SECRET_KEY (secret),
// USERSIG_JWT_SECRET (secret) or USERSIG_JWKS_URL + USERSIG_JWT_AUDIENCE, USERSIG_CORS_ORIGINS, USERSIG_RATE_LIMIT_PER_USER.
// Who may enter which room is decided here (policy.privateMapKey in docs/service.md):
const policy = { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*'], privileges: 'audience' }] } }

export const main_handler = scfHandler(createHandler({ ...configFromEnv(process.env), policy }, { env: process.env }))
