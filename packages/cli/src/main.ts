/**
 * The entry point: parses the command line, runs one command, and maps whatever happened to one exit code and at most
 * one line on stderr. Stack traces only with USERSIG_DEBUG=1.
 */
import { CommanderError } from 'commander'
import { EXIT, ExitError, exitCodeForUserSigError, usageError, type ExitCode } from './errors.js'
import { buildProgram } from './program.js'
import { sanitizeCommanderMessage } from './quote.js'

const COMMANDS = new Set(['gen', 'pmk', 'verify', 'decode', 'explain', 'keygen', 'scan', 'serve'])
/** Flags people reach for to pass the secret itself. */
const SECRET_FLAG = /^--(?:secret-?key|secret|key|sdk-?secret-?key|private-?key|key-?value)(?:=|$)/i

const debug = (): boolean => process.env['USERSIG_DEBUG'] === '1'

/** Refuses a secret given as a flag value, without echoing it. */
function rejectSecretFlags(args: string[]): void {
  for (const arg of args) {
    if (arg === '--') return
    const m = SECRET_FLAG.exec(arg)
    if (m) {
      const flag = arg.split('=')[0]
      throw usageError(
        `${flag} is not accepted: a secret given as a flag value lands in shell history and is visible to every user in ps`,
        'set USERSIG_SECRET_KEY, or pass --key-file PATH or --key-stdin (legacy keys: --private-key-file / --public-key-file)',
      )
    }
  }
}

function line(prefix: string, message: string, hint?: string): void {
  const text = `${message}${hint ? ` — ${hint}` : ''}`.replace(/\s*\n\s*/g, ' ')
  process.stderr.write(`${prefix}: ${text}\n`)
}

function report(err: unknown, prefix: string): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage // message already printed
  if (debug() && err instanceof Error) process.stderr.write(`${err.stack ?? err.message}\n`)
  if (err instanceof ExitError) {
    line(prefix, err.message, err.hint)
    return err.code
  }
  const e = err as { name?: unknown; code?: unknown; message?: unknown; hint?: unknown; tencentCode?: unknown }
  if (e?.name === 'UserSigError' && typeof e.code === 'string') {
    const tencent = typeof e.tencentCode === 'number' ? ` (Tencent ${e.tencentCode})` : ''
    line(prefix, `${String(e.message)}${tencent}`, typeof e.hint === 'string' ? e.hint : undefined)
    return exitCodeForUserSigError(e.code)
  }
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    line(prefix, `I/O error: ${String(e.message)}`, 'check the paths and permissions')
    return EXIT.io
  }
  line(prefix, `internal error: ${err instanceof Error ? err.message : String(err)}`, debug() ? 'please report it' : 'please report it; USERSIG_DEBUG=1 shows the stack trace')
  return EXIT.internal
}

export async function main(argv: string[]): Promise<ExitCode> {
  const args = argv.slice(2)
  const command = args.find((a) => COMMANDS.has(a))
  const prefix = command ? `usersig ${command}` : 'usersig'
  let code: ExitCode = EXIT.ok
  const program = buildProgram(
    (c) => (code = c),
    (message) => {
      // Commander quotes the argument it did not understand, which may be a pasted key or PEM.
      const text = sanitizeCommanderMessage(message.replace(/^error:\s*/i, '').trim(), args)
      line(prefix, text, `run "${prefix} --help" for usage`)
    },
  )
  try {
    if (args.length === 0) throw usageError('no command given', 'run "usersig --help" for the commands')
    rejectSecretFlags(args)
    await program.parseAsync(argv)
    return code
  } catch (err) {
    return report(err, prefix)
  }
}

// A closed pipe (usersig decode … | head) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  process.stderr.write(`usersig: cannot write the output: ${err.code ?? err.message}\n`)
  process.exit(EXIT.io)
})

process.exitCode = await main(process.argv)
