/** Reading stdin: one bounded value, or bounded lines for `--batch`. */
import { usageError, ioError } from './errors.js'

/** The most a single token read from stdin may take (a real UserSig is well under 1 KiB). */
export const MAX_STDIN_BYTES: number = 1024 * 1024
/** The most one `--batch` line may take; a longer line gets an error result and is skipped without being buffered. */
export const MAX_LINE_BYTES: number = 64 * 1024

/** Reads the whole stream, refusing more than `maxBytes`. */
export async function readAll(stream: NodeJS.ReadableStream, maxBytes: number, what: string, code: 'usage' | 'io' = 'io'): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buf.length
    if (size > maxBytes) {
      const make = code === 'usage' ? usageError : ioError
      throw make(`${what} is larger than ${maxBytes} bytes`, 'pipe a single value, or use --batch for many tokens')
    }
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The token to work on: the TOKEN argument, or (when it is omitted or `-`) the whole of stdin, trimmed.
 * A terminal on stdin is not read: waiting for input nobody will type helps no one.
 */
export async function readToken(arg: string | undefined): Promise<string> {
  if (arg !== undefined && arg !== '-') {
    const token = arg.trim()
    if (token === '') throw usageError('the TOKEN argument is empty', 'pass the UserSig, or "-" to read it from stdin')
    return token
  }
  if (process.stdin.isTTY) {
    throw usageError('no token given', 'pass the UserSig as an argument, or pipe it: echo "$SIG" | usersig <command> -')
  }
  const token = (await readAll(process.stdin, MAX_STDIN_BYTES, 'the token on stdin', 'usage')).trim()
  if (token === '') {
    throw usageError('stdin is empty: no token to read', 'pass the UserSig as an argument, or pipe it on stdin')
  }
  return token
}

/** stdin can carry the key or the token, not both: checked before either is read. */
export function checkStdinUse(token: string | undefined, keyStdin: boolean | undefined): void {
  if (keyStdin && (token === undefined || token === '-')) {
    throw usageError('--key-stdin reads the key from stdin, so the token cannot come from stdin too', 'pass the TOKEN as an argument, or the key with --key-file')
  }
}

export interface Line {
  /** 1-based line number. */
  number: number
  /** The line without its end of line, or '' when it was too long. */
  text: string
  /** True when the line was longer than the limit; its bytes were dropped as they arrived. */
  tooLong: boolean
}

/**
 * Splits a stream into lines, holding at most `maxBytes` of any one line in memory: once a line passes the limit the rest
 * of it is discarded up to the next newline and the line is reported as `tooLong`. (readline would buffer it whole.)
 */
export async function* readLines(stream: NodeJS.ReadableStream, maxBytes: number = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let parts: Buffer[] = []
  let size = 0
  let tooLong = false
  let number = 0
  const finish = (): Line => {
    number++
    let text = ''
    if (!tooLong) {
      text = Buffer.concat(parts, size).toString('utf8')
      if (text.endsWith('\r')) text = text.slice(0, -1)
    }
    const line = { number, text, tooLong }
    parts = []
    size = 0
    tooLong = false
    return line
  }
  const take = (piece: Buffer): void => {
    if (tooLong) return
    if (size + piece.length > maxBytes) {
      tooLong = true
      parts = []
      size = 0
      return
    }
    parts.push(piece)
    size += piece.length
  }
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    let start = 0
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      take(buf.subarray(start, nl))
      yield finish()
      start = nl + 1
    }
    // Copy: the stream may reuse the chunk's memory.
    if (start < buf.length) take(Buffer.from(buf.subarray(start)))
  }
  if (size > 0 || tooLong) yield finish()
}
