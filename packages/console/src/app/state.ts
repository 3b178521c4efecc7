/**
 * The page's state, in memory only. The secret key and the admin API key are never written to localStorage; the
 * admin key may go to sessionStorage when the user ticks "remember for this tab". The token is never put in the URL.
 */
import type { Lang } from './i18n.js'

export type Route = 'debugger' | 'generate' | 'admin'
export type KeyKind = 'secret' | 'public'
export type UserIdPolicy = 'im' | 'strict' | 'any'

export interface State {
  lang: Lang
  route: Route
  /** What the debugger and the generator share, so a generated token can be checked with the same inputs. */
  creds: { sdkAppId: string; userId: string; keyKind: KeyKind; secretKey: string; publicKey: string }
  token: string
  expectRoom: { kind: 'num' | 'str'; roomId: string; strRoomId: string }
  gen: {
    kind: 'usersig' | 'pmk'
    userIdPolicy: UserIdPolicy
    /** Sign with a key not shaped like a console SDKSecretKey (the checkbox under the key). */
    allowUnusualKey: boolean
    /** Sign for a UserID with surrounding whitespace (the checkbox under the UserID). */
    allowUnusualUserId: boolean
    /** Accept a lifetime that looks like milliseconds (the checkbox under the lifetime). */
    allowUnusualLifetime: boolean
    expiresIn: string
    pmkExpiresIn: string
    roomKind: 'num' | 'str'
    roomId: string
    strRoomId: string
    privileges: number
    output: string
  }
  admin: {
    baseUrl: string; apiKey: string; remember: boolean; issueUserId: string; issueSdkAppId: string; issueExpiresIn: string; showRuntimeMetrics: boolean
    /** The Issue form's boxes: the UserID's whitespace / the lifetime in milliseconds is intended. */
    issueAllowUnusualUserId: boolean; issueAllowUnusualLifetime: boolean
  }
}

export function initialState(lang: Lang, defaultBaseUrl: string): State {
  return {
    lang,
    route: 'debugger',
    creds: { sdkAppId: '', userId: '', keyKind: 'secret', secretKey: '', publicKey: '' },
    token: '',
    expectRoom: { kind: 'num', roomId: '', strRoomId: '' },
    gen: {
      kind: 'usersig',
      userIdPolicy: 'im',
      allowUnusualKey: false,
      allowUnusualUserId: false,
      allowUnusualLifetime: false,
      expiresIn: '7d',
      pmkExpiresIn: '300',
      roomKind: 'num',
      roomId: '',
      strRoomId: '',
      privileges: 255,
      output: '',
    },
    admin: { baseUrl: defaultBaseUrl, apiKey: '', remember: false, issueUserId: '', issueSdkAppId: '', issueExpiresIn: '', showRuntimeMetrics: false, issueAllowUnusualUserId: false, issueAllowUnusualLifetime: false },
  }
}
