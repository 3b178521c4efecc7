/**
 * The console's side of "values that cannot be right are stopped at the tools" (issue 15 §3): a UserID with leading or
 * trailing whitespace and a lifetime that looks like milliseconds are refused, in the page's language, unless the box
 * under the field says they are intended. The core decides (checkToolUserId, parseExpiresIn); this module words it.
 */
import { checkToolUserId, lifetimeInMilliseconds, parseExpiresIn, UserSigError } from './core.js'
import { fmtDuration } from './format.js'
import { h } from './dom.js'
import { getLang, t } from './i18n.js'

/** A refusal to show under the field: the message, the hint, and in Chinese the core's English detail. */
export type Refusal = [message: string, hint: string, detail: string | undefined]

function detailOf(e: UserSigError): string | undefined {
  return getLang() === 'en' ? undefined : e.message
}

/** Null when the UserID has no surrounding whitespace, or when `allowed` (the box) says it is intended. */
export function unusualUserId(userId: string, allowed: boolean): Refusal | null {
  try {
    checkToolUserId(userId, { allowUnusualUserId: allowed })
    return null
  } catch (e) {
    if (!(e instanceof UserSigError)) throw e
    return [t('unusual.userId'), t('unusual.userId.hint'), detailOf(e)]
  }
}

/**
 * Null unless the lifetime as typed ("86400000") is a common lifetime in milliseconds and `allowed` is not set. Other
 * problems with the text are left to the signer or the service, which say what is wrong.
 */
export function unusualLifetime(input: string | undefined, allowed: boolean): Refusal | null {
  if (input === undefined || allowed) return null
  try {
    parseExpiresIn(input)
    return null
  } catch (e) {
    if (!(e instanceof UserSigError)) throw e
    let seconds: number
    try {
      seconds = parseExpiresIn(input, 'expiresIn', { allowUnusualLifetime: true })
    } catch {
      return null
    }
    const meant = lifetimeInMilliseconds(seconds)
    if (meant === null) return null
    const d = fmtDuration(meant)
    return [t('unusual.lifetime', { n: seconds, d }), t('unusual.lifetime.hint', { s: meant, d, long: fmtDuration(seconds) }), detailOf(e)]
  }
}

/** The "this is intended" box under a field: a labelled checkbox that reports its state. */
export function allowBox(id: string, label: string, checked: boolean, onChange: (on: boolean) => void): HTMLLabelElement {
  const box = h('input', { type: 'checkbox', id, checked })
  box.addEventListener('change', () => onChange(box.checked))
  return h('label', { class: 'check' }, box, ' ', label)
}
