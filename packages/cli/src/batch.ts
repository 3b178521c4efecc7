/** `--batch`: one token per stdin line, one compact JSON result per stdout line, in input order. */
import { EXIT, type ExitCode, usageError } from './errors.js'
import { writeJsonLine } from './format.js'
import { MAX_LINE_BYTES, readLines } from './io.js'

export interface BatchResult {
  ok: boolean
}

/** The result for a line that was not handled. */
export interface LineError extends BatchResult {
  ok: false
  error: { code: 'LINE_TOO_LONG'; message: string; hint: string }
}

/** Rejects flag combinations that would make `--batch` read stdin for two things. */
export function checkBatchFlags(token: string | undefined, keyStdin: boolean | undefined): void {
  if (token !== undefined && token !== '-') throw usageError('--batch reads tokens from stdin: do not pass TOKEN too', 'pipe one token per line')
  if (keyStdin) throw usageError('--batch and --key-stdin both read stdin', 'pass the key with --key-file or USERSIG_SECRET_KEY')
  if (process.stdin.isTTY) throw usageError('--batch reads tokens from stdin, and stdin is a terminal', 'pipe one token per line: usersig <command> --batch < tokens.txt')
}

/**
 * Runs `handle` on every non-blank line. Each result gets the 1-based `line` number first. A line longer than
 * MAX_LINE_BYTES is not handled: it gets `{ ok: false, error: { code: "LINE_TOO_LONG" } }`. Exit 1 if any result is not ok.
 */
export async function runBatch<T extends BatchResult>(handle: (token: string) => T): Promise<ExitCode> {
  let failed = false
  for await (const line of readLines(process.stdin, MAX_LINE_BYTES)) {
    let result: BatchResult
    if (line.tooLong) {
      const tooLong: LineError = {
        ok: false,
        error: { code: 'LINE_TOO_LONG', message: `line is longer than ${MAX_LINE_BYTES} bytes and was skipped`, hint: 'a UserSig is well under 1 KiB: check the input' },
      }
      result = tooLong
    } else {
      const token = line.text.trim()
      if (token === '') continue
      result = handle(token)
    }
    if (!result.ok) failed = true
    writeJsonLine({ line: line.number, ...result })
  }
  return failed ? EXIT.invalid : EXIT.ok
}
