import { UserSigError } from './errors.js'

/** TRTC's strRoomId charset: a-zA-Z0-9, space and !#$%&()+-:;<=.>?@[]^_{}|~, */
const STR_ROOM_RE = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/

/** A room for a PrivateMapKey: exactly one of a numeric `roomId` or a string `strRoomId`. */
export type Room = { roomId: number; strRoomId?: undefined } | { strRoomId: string; roomId?: undefined }

/**
 * Checks the room of a PrivateMapKey: `roomId` 1..4294967294 or `strRoomId` of 1..64 bytes of the TRTC charset,
 * exactly one of them. "123" and 123 are different rooms.
 */
export function checkRoom(opts: { roomId?: unknown; strRoomId?: unknown }): Room {
  const room = roomOf(opts)
  return typeof room === 'number' ? { roomId: room } : { strRoomId: room }
}

/**
 * The room of a PrivateMapKey, checked as by `checkRoom`: the numeric `roomId` or the `strRoomId` string (the signer's
 * path, which builds no object for it).
 */
export function roomOf(opts: { roomId?: unknown; strRoomId?: unknown }): number | string {
  const hasId = opts.roomId !== undefined && opts.roomId !== null
  const hasStr = opts.strRoomId !== undefined && opts.strRoomId !== null
  if (hasId && hasStr) {
    throw new UserSigError('INVALID_ROOM_ID', 'give either roomId or strRoomId, not both', { hint: 'the string room "123" and the numeric room 123 are different rooms (TRTC -3318)', tencentCode: -3318 })
  }
  if (!hasId && !hasStr) {
    throw new UserSigError('INVALID_ROOM_ID', 'a PrivateMapKey needs a roomId or a strRoomId', { hint: 'pass roomId (1..4294967294) or strRoomId', tencentCode: -3318 })
  }
  if (hasId) {
    const r = opts.roomId
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 4294967294) {
      throw new UserSigError('INVALID_ROOM_ID', `roomId must be an integer from 1 to 4294967294, got ${typeof r === 'number' ? r : typeof r}`, {
        hint: typeof r === 'string' ? 'for a string room name use strRoomId' : 'TRTC numeric rooms are 1..4294967294 (web error 5012)',
        tencentCode: 5012,
      })
    }
    return r
  }
  const s = opts.strRoomId
  if (typeof s !== 'string' || !STR_ROOM_RE.test(s)) {
    const why = typeof s !== 'string' ? `must be a string, got ${typeof s}` : s.length === 0 ? 'is empty' : s.length > 64 ? `is ${s.length} characters; the limit is 64 bytes` : 'contains a character TRTC does not allow'
    throw new UserSigError('INVALID_STR_ROOM_ID', `strRoomId ${why}`, { hint: 'strRoomId: 1-64 of a-z A-Z 0-9, space and !#$%&()+-:;<=.>?@[]^_{}|~, (web error 5013)', tencentCode: 5013 })
  }
  return s
}
