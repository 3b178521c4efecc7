// Tencent Cloud SCF behind API Gateway: UserSigs for the callers your identity provider vouches for.
// Secrets are the function's environment variables, set from your deploy environment (serverless.yml), never a file.
import { createHandler } from '@usersig/edge'
import { scfHandler } from '@usersig/edge/scf'

const env = process.env

export const main_handler = scfHandler(
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
      // Per instance: approximate across concurrent instances (see docs/deploy.md).
      rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
      cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
    },
    { env },
  ),
)
