// AWS Lambda behind a function URL: UserSigs for the callers your identity provider vouches for.
// Secrets are resolved into the function's environment at deploy time (template.yaml), never kept in this folder.
import { createHandler } from '@usersig/edge'
import { lambdaHandler } from '@usersig/edge/lambda'

const env = process.env

export const handler = lambdaHandler(
  createHandler(
    {
      apps: [{ sdkAppId: env.USERSIG_SDKAPPID, secretKeyEnv: 'USERSIG_SECRET_KEY' }],
      // Or your identity provider's keys: { jwksUrl: 'https://idp.example.com/.well-known/jwks.json', audience: 'your-api' }
      auth: { jwt: { secretEnv: 'USERSIG_JWT_SECRET' } },
      policy: {
        privateMapKey: {
          rules: [
            { rooms: ['team-{userId}'], privileges: 'all' },
            { rooms: ['lobby-*'], privileges: 'audience' },
          ],
        },
      },
      // Per execution environment: approximate across concurrent instances (see docs/deploy.md).
      rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
      cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
    },
    { env },
  ),
)
