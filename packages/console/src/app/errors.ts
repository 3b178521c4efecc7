/** Turns core errors and findings into text in the page's language, falling back to the core's English. */
import { UserSigError } from './core.js'
import { t, tMaybe } from './i18n.js'

export interface ShownError {
  message: string
  hint?: string
  /** In a language other than English: the core's own message and hint, which name the exact problem. */
  detail?: string
  code?: string
}

export function describeError(e: unknown): ShownError {
  if (e instanceof UserSigError) {
    const translated = tMaybe(`err.${e.code}`)
    const message = translated ?? e.message
    const shown: ShownError = { message: e.code === 'MALFORMED' && e.stage ? t('err.withStage', { message, label: t('decode.stage'), stage: e.stage }) : message, code: e.code }
    if (translated === undefined) {
      // English: the core's hint is specific (it names the problem: whitespace, a PEM block, milliseconds…).
      if (e.hint) shown.hint = e.hint
    } else {
      const hint = tMaybe(`hint.${e.code}`)
      if (hint) shown.hint = hint
      shown.detail = e.hint ? `${e.message} (${e.hint})` : e.message
    }
    return shown
  }
  if (e instanceof Error) return { message: e.message }
  return { message: String(e) }
}

/** Which form field a core error code belongs to, so the error is shown next to it. */
export function fieldForCode(code: string | undefined): 'sdkAppId' | 'userId' | 'secretKey' | 'publicKey' | 'expiresIn' | 'roomId' | 'strRoomId' | 'privileges' | 'token' | undefined {
  switch (code) {
    case 'INVALID_SDKAPPID':
      return 'sdkAppId'
    case 'INVALID_USERID':
      return 'userId'
    case 'INVALID_SECRET_KEY':
    case 'INVALID_PRIVATE_KEY':
      return 'secretKey'
    case 'INVALID_PUBLIC_KEY':
      return 'publicKey'
    case 'INVALID_EXPIRES_IN':
    case 'INVALID_NOW':
      return 'expiresIn'
    case 'INVALID_ROOM_ID':
      return 'roomId'
    case 'INVALID_STR_ROOM_ID':
      return 'strRoomId'
    case 'INVALID_PRIVILEGES':
      return 'privileges'
    case 'MALFORMED':
      return 'token'
    default:
      return undefined
  }
}
