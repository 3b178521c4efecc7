/**
 * DEMO ONLY. `Authorization: Bearer demo:<userId>` authenticates as <userId>, with roles from `X-Demo-Roles`.
 * Anyone can claim any userId: exactly the hole this service exists to close. The config validator only
 * allows it in the embedded demo, which only listens on loopback, and the banner and every answer say so.
 */
import { bearer, header, toRoles, type AuthRequest, type Authenticator, type Identity } from './types.js'
import { HttpError } from '../errors.js'

export function demoAuthenticator(): Authenticator {
  return {
    method: 'demo',
    async authenticate(req: AuthRequest): Promise<Identity | null> {
      const token = bearer(req)
      if (token === undefined || !token.startsWith('demo:')) return null
      let userId: string
      try {
        userId = decodeURIComponent(token.slice(5))
      } catch {
        throw new HttpError('UNAUTHENTICATED', 'demo credential is not valid percent-encoding')
      }
      if (userId === '') throw new HttpError('UNAUTHENTICATED', 'demo credential without a userId: send Authorization: Bearer demo:<userId>')
      return { userId, roles: toRoles(header(req, 'x-demo-roles')), method: 'demo' }
    },
  }
}
