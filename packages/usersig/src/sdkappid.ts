import { UserSigError } from './errors.js'

const HINT = 'the SDKAppID is the integer shown in the Tencent Cloud console, e.g. 1400000000'

/**
 * Checks and normalises an SDKAppID: an integer 1..4294967295, or a string of decimal digits (normalised to a number).
 * Whitespace, floats, negatives, undefined and anything else are rejected: the official libraries silently sign
 * `"TLS.sdkappid":null` or a padded string that then fails with 70009/70014.
 * @example normalizeSdkAppId('1400000000') // 1400000000
 */
export function normalizeSdkAppId(value: unknown): number {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'string') {
    if (!/^[0-9]{1,10}$/.test(value)) {
      const why = value.trim() !== value ? 'has leading or trailing whitespace' : value === '' ? 'is empty' : 'is not a decimal integer'
      throw new UserSigError('INVALID_SDKAPPID', `sdkAppId ${why}`, { hint: HINT, tencentCode: 70014 })
    }
    n = Number(value)
  } else {
    throw new UserSigError('INVALID_SDKAPPID', `sdkAppId must be an integer, got ${value === null ? 'null' : typeof value}`, { hint: HINT, tencentCode: 70014 })
  }
  if (!Number.isInteger(n) || n < 1 || n > 4294967295) {
    throw new UserSigError('INVALID_SDKAPPID', `sdkAppId must be an integer from 1 to 4294967295, got ${Number.isFinite(n) ? n : String(n)}`, { hint: HINT, tencentCode: 70014 })
  }
  return n
}
