/** `usersig decode`: show what a UserSig or PrivateMapKey carries, without a key (nothing is verified). */
import { decodedToJson, decodeUserSig, UserSigError, type DecodedUserSigJson } from 'usersig'
import { checkBatchFlags, runBatch } from '../batch.js'
import { EXIT, type ExitCode } from '../errors.js'
import { write, writeJson } from '../format.js'
import { readToken } from '../io.js'
import { parseNow } from '../options.js'
import { decodedTable, remainingJson } from '../token.js'

export interface DecodeOptions {
  now?: string
  json?: boolean
  batch?: boolean
}

export interface TokenErrorJson {
  code: string
  message: string
  hint: string | null
  stage: string | null
  tencentCode: number | null
}

export type DecodeJson = ({ ok: true } & DecodedUserSigJson & { remaining: number; expired: boolean }) | { ok: false; error: TokenErrorJson }

export const tokenErrorJson = (e: UserSigError): TokenErrorJson => ({
  code: e.code,
  message: e.message,
  hint: e.hint ?? null,
  stage: e.stage ?? null,
  tencentCode: e.tencentCode ?? null,
})

export async function decode(token: string | undefined, opts: DecodeOptions): Promise<ExitCode> {
  const now = parseNow(opts.now)
  if (opts.batch) {
    checkBatchFlags(token, false)
    return runBatch((t) => toJson(t, now))
  }
  const t = await readToken(token)
  if (opts.json) {
    const result = toJson(t, now)
    writeJson(result)
    return result.ok ? EXIT.ok : EXIT.invalid
  }
  // Errors other than a malformed token go to the top-level catch; a malformed token is printed there too (exit 1).
  const d = decodeUserSig(t)
  write(decodedTable(d, now))
  return EXIT.ok
}

function toJson(token: string, now: number): DecodeJson {
  try {
    const d = decodeUserSig(token)
    return { ok: true, ...decodedToJson(d), ...remainingJson(d, now) }
  } catch (e) {
    if (e instanceof UserSigError) return { ok: false, error: tokenErrorJson(e) }
    throw e
  }
}
