import { quote, UserSigError } from './errors.js'

const BITS = {
  create: 1,
  enter: 2,
  sendAudio: 4,
  recvAudio: 8,
  sendVideo: 16,
  recvVideo: 32,
  sendSubVideo: 64,
  recvSubVideo: 128,
} as const

const PRESETS = {
  anchor: 255,
  all: 255,
  coHost: 254,
  audience: 42,
} as const

/** TRTC room privilege bits (advanced permission control). */
export const PRIVILEGES: Readonly<typeof BITS> = Object.freeze(BITS)

/** The name of one privilege bit (`enter`, `recvAudio`, …). */
export type PrivilegeName = keyof typeof PRIVILEGES

/** Named sets of privileges. `audience` = enter + recvAudio + recvVideo. */
export const PRIVILEGE_PRESETS: Readonly<typeof PRESETS> = Object.freeze(PRESETS)

/** The name of a preset set of privileges (`anchor`, `audience`, …). */
export type PrivilegePreset = keyof typeof PRIVILEGE_PRESETS

/** What `privileges` accepts: bits 0..255, a preset name, a list of names, or "enter,recvAudio". */
export type Privileges = number | string | readonly string[]

const NAMES = Object.keys(PRIVILEGES) as PrivilegeName[]

function lookup(name: string): number {
  const n = name.trim()
  if (Object.prototype.hasOwnProperty.call(PRIVILEGES, n)) return PRIVILEGES[n as PrivilegeName]
  if (Object.prototype.hasOwnProperty.call(PRIVILEGE_PRESETS, n)) return PRIVILEGE_PRESETS[n as PrivilegePreset]
  throw new UserSigError('INVALID_PRIVILEGES', `unknown privilege ${quote(n)}`, {
    hint: `use ${NAMES.join(', ')} or a preset (${Object.keys(PRIVILEGE_PRESETS).join(', ')})`,
  })
}

/**
 * Turns a privileges value into the 8-bit map.
 * @example parsePrivileges(['enter', 'recvAudio']) // 10
 */
export function parsePrivileges(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new UserSigError('INVALID_PRIVILEGES', `privileges must be an integer from 0 to 255, got ${value}`, { hint: '255 is every privilege, 42 is audience (enter + receive audio and video)' })
    }
    return value
  }
  if (typeof value === 'string') {
    if (/^[0-9]+$/.test(value.trim())) return parsePrivileges(Number(value.trim()))
    if (value.trim() === '') throw new UserSigError('INVALID_PRIVILEGES', 'privileges is empty', { hint: 'name at least one privilege, e.g. "enter"' })
    return value.split(',').reduce((bits, n) => bits | lookup(n), 0)
  }
  if (Array.isArray(value)) {
    let bits = 0
    for (const n of value) {
      if (typeof n !== 'string') throw new UserSigError('INVALID_PRIVILEGES', 'privilege names must be strings')
      bits |= lookup(n)
    }
    return bits
  }
  throw new UserSigError('INVALID_PRIVILEGES', `privileges must be a number, a name list or a preset, got ${value === null ? 'null' : typeof value}`)
}

/** The names of the bits set in a privilege map, lowest bit first. */
export function privilegeNames(bits: number): PrivilegeName[] {
  return NAMES.filter((n) => (bits & PRIVILEGES[n]) !== 0)
}
