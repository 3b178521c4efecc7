/**
 * The deployment every template test runs: throwaway secrets made per run, handed to the runtime the way its platform
 * does (bindings, environment), and the JWTs the callers present.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { generateSecretKey } from 'usersig'

export const SDKAPPID = 1400000001
export const ORIGIN = 'https://app.example.com'

/** The platform's environment for the templates: what `wrangler secret put` / `vercel env add` would hold. */
export function deploymentEnv(): Record<string, string> {
  return {
    USERSIG_SDKAPPID: String(SDKAPPID),
    USERSIG_SECRET_KEY: generateSecretKey(),
    USERSIG_JWT_SECRET: randomBytes(36).toString('base64url'),
    USERSIG_CORS_ORIGINS: ORIGIN,
  }
}

export interface JwtOptions {
  /** Seconds from now; null for no `exp` claim. Default 600. */
  expiresIn?: number | null
  /** Seconds from now for `iat`. Default 0. */
  issuedAt?: number
  roles?: string[]
}

export async function mintJwt(secret: string, sub: string, o: JwtOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const payload: Record<string, unknown> = o.roles ? { roles: o.roles } : {}
  const j = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now + (o.issuedAt ?? 0))
  const exp = o.expiresIn === undefined ? 600 : o.expiresIn
  if (exp !== null) j.setExpirationTime(now + exp)
  return j.sign(new TextEncoder().encode(secret))
}
