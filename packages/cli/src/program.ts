/**
 * The command declarations: names, flags, help and examples. Each action hands its flags to a plain async function in
 * commands/ (loaded on demand, so `--help` works even where a command's dependencies do not) and returns its exit code.
 */
import { createRequire } from 'node:module'
import { Command, Option } from 'commander'
import type { ExitCode } from './errors.js'

const { version } = createRequire(import.meta.url)('../package.json') as { version: string }

type Run = (code: ExitCode) => void

const KEY_HELP = `
Keys are never taken from a flag value (it would land in shell history and in ps): set USERSIG_SECRET_KEY, or pass
--key-file PATH (one key, or one id=secret per line) or --key-stdin.`

function example(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}`)
}

function keyOptions(cmd: Command, { legacy }: { legacy: 'private' | 'public' | null }): Command {
  cmd
    .option('--key-file <path>', 'read the secret key from a file (one key, or id=secret lines)')
    .option('--key-stdin', 'read the secret key from stdin')
  if (legacy === 'private') cmd.option('--private-key-file <path>', 'sign with a legacy ECDSA private key (PEM)')
  if (legacy === 'public') cmd.option('--public-key-file <path>', 'verify a legacy ECDSA sig with the public key (PEM)')
  return cmd
}

/**
 * Adds `option` (the glossary's word) and `alias`, an older spelling that keeps working: the alias is hidden from the
 * help, which names it in the option's description, and sets the same value (the last one given wins).
 */
function withAlias(cmd: Command, option: Option, alias: string): Command {
  const old = new Option(option.flags.replace(/^--[a-z-]+/, alias)).hideHelp()
  if (option.argChoices !== undefined) old.choices(option.argChoices)
  cmd.addOption(option).addOption(old)
  cmd.on(`option:${old.name()}`, (value: string) => cmd.setOptionValueWithSource(option.attributeName(), value, 'cli'))
  return cmd
}

const sdkAppIdOption = (cmd: Command, required: boolean): Command => {
  const o = new Option('--sdk-app-id <n>', 'the SDKAppID (from the console; also spelled --sdkappid)')
  return withAlias(cmd, required ? o.makeOptionMandatory() : o, '--sdkappid')
}
const userIdOption = (cmd: Command, description: string, required: boolean): Command => {
  const o = new Option('--user-id <id>', `${description} (also --userid)`)
  return withAlias(cmd, required ? o.makeOptionMandatory() : o, '--userid')
}
const nowOption = (): Option => new Option('--now <t>', 'pretend the time is T: unix seconds or an ISO date (for reproducible output)')
const jsonOption = (): Option => new Option('--json', 'print JSON (the shapes are documented in the README)')
const batchOption = (): Option => new Option('--batch', 'read one token per line on stdin; print one JSON result per line')
const roomOptions = (cmd: Command): Command =>
  cmd
    .addOption(new Option('--room-id <n>', 'numeric room id').conflicts('strRoomId'))
    .addOption(new Option('--str-room-id <s>', 'string room id').conflicts('roomId'))
const policyOption = (cmd: Command): Command =>
  withAlias(
    cmd,
    new Option('--user-id-policy <policy>', 'UserID rules: im (printable ASCII, <= 32 bytes), strict or any (also --userid-policy)').choices(['im', 'strict', 'any']),
    '--userid-policy',
  )

/**
 * Builds the program. `run` receives each command's exit code; `writeError` prints commander's usage errors. Commander
 * throws instead of exiting (exitOverride), so main.ts maps every way out to an exit code in one place.
 */
export function buildProgram(run: Run, writeError: (message: string) => void): Command {
  const program = new Command('usersig')
    .exitOverride()
    .configureOutput({ outputError: (message) => writeError(message) })
    .description('Sign, verify, decode and explain Tencent Cloud UserSig and PrivateMapKey tokens.')
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 invalid token or findings, 2 usage error, 3 I/O or config error, 70 internal error.
Set USERSIG_DEBUG=1 to see stack traces. Run "usersig <command> --help" for a command's flags and an example.`,
    )

  const gen = program.command('gen').description('sign a UserSig')
  sdkAppIdOption(gen, true)
  userIdOption(gen, 'the UserID the sig is for', true)
  gen
    .option('--expires-in <duration>', 'how long it is valid (expiresIn): seconds, or 90s / 30m / 12h / 7d / 2w', '7d')
    .option('--key-id <id>', 'which key of a multi-key file signs')
  policyOption(gen)
    .addOption(nowOption())
    .addOption(jsonOption())
  gen.option('--allow-unusual-key', 'sign with a key that is not shaped like a console SDKSecretKey (64 hex characters)')
  gen.option('--allow-unusual-lifetime', 'accept a lifetime that looks like milliseconds of a common one (86400000)')
  gen.option('--allow-unusual-user-id', 'sign for a UserID with leading or trailing whitespace, or only whitespace')
  keyOptions(gen, { legacy: 'private' })
  example(gen, 'USERSIG_SECRET_KEY="$(cat secret.key)" usersig gen --sdk-app-id 1400000000 --user-id alice --expires-in 12h', 'usersig gen --sdk-app-id 1400000000 --user-id alice --key-file secret.key --json')
  gen.addHelpText('after', KEY_HELP)
  gen.action(async (opts) => run(await (await import('./commands/gen.js')).gen(opts)))

  const pmk = program.command('pmk').description('sign a PrivateMapKey (TRTC room permissions)')
  sdkAppIdOption(pmk, true)
  userIdOption(pmk, 'the UserID the key is for', true)
  pmk
    .requiredOption('--privileges <p>', 'a bit mask (0-255), names (enter,recvAudio,…) or a preset (anchor, audience, coHost, all)')
    .option('--expires-in <duration>', 'how long it is valid (expiresIn): seconds, or 90s / 30m / 12h / 7d / 2w', '300')
    .option('--key-id <id>', 'which key of a multi-key file signs')
  policyOption(pmk)
    .addOption(nowOption())
    .addOption(jsonOption())
  roomOptions(pmk)
  pmk.option('--allow-unusual-key', 'sign with a key that is not shaped like a console SDKSecretKey (64 hex characters)')
  pmk.option('--allow-unusual-lifetime', 'accept a lifetime that looks like milliseconds of a common one (86400000)')
  pmk.option('--allow-unusual-user-id', 'sign for a UserID with leading or trailing whitespace, or only whitespace')
  keyOptions(pmk, { legacy: null })
  example(pmk, 'usersig pmk --sdk-app-id 1400000000 --user-id alice --room-id 1234 --privileges enter,recvAudio,recvVideo --key-file secret.key')
  pmk.addHelpText('after', KEY_HELP)
  pmk.action(async (opts) => run(await (await import('./commands/pmk.js')).pmk(opts)))

  const verify = program
    .command('verify')
    .description('check a UserSig with the key; exit 0 if valid, 1 if not')
    .argument('[token]', 'the UserSig; "-" or omitted: read it from stdin')
  sdkAppIdOption(verify, true)
  userIdOption(verify, 'the UserID the client logs in with', true)
  verify
    .option('--clock-tolerance <seconds>', 'allowed clock skew', '30')
    .addOption(nowOption())
    .addOption(jsonOption())
    .addOption(batchOption())
  keyOptions(verify, { legacy: 'public' })
  example(verify, 'usersig verify "$SIG" --sdk-app-id 1400000000 --user-id alice --key-file secret.key', 'cut -f2 sigs.tsv | usersig verify --batch --sdk-app-id 1400000000 --user-id alice --key-file keys.txt')
  verify.addHelpText('after', KEY_HELP)
  verify.action(async (token, opts) => run(await (await import('./commands/verify.js')).verify(token, opts)))

  const decode = program
    .command('decode')
    .description('show what a UserSig or PrivateMapKey holds (no key needed; nothing is verified)')
    .argument('[token]', 'the UserSig; "-" or omitted: read it from stdin')
    .addOption(nowOption())
    .addOption(jsonOption())
    .addOption(batchOption())
  example(decode, 'usersig decode "$SIG"', 'pbpaste | usersig decode --json')
  decode.action(async (token, opts) => run(await (await import('./commands/decode.js')).decode(token, opts)))

  const explain = program
    .command('explain')
    .description('predict the Tencent error for a sig, with the cause and the fix (offline)')
    .argument('[token]', 'the UserSig or PrivateMapKey; "-" or omitted: read it from stdin')
  sdkAppIdOption(explain, false)
  userIdOption(explain, 'the UserID the client logs in with', false)
  explain
    .option('--clock-tolerance <seconds>', 'allowed clock skew', '30')
    .addOption(nowOption())
    .addOption(jsonOption())
    .addOption(batchOption())
  explain.option('--key-id <id>', 'check with this key of a multi-key file; the others only name the key that signed it')
  roomOptions(explain)
  keyOptions(explain, { legacy: 'public' })
  example(explain, 'usersig explain "$SIG" --sdk-app-id 1400000000 --user-id alice --key-file secret.key')
  explain.addHelpText('after', KEY_HELP)
  explain.action(async (token, opts) => run(await (await import('./commands/explain.js')).explain(token, opts)))

  const keygen = program
    .command('keygen')
    .description('make a new secret key, or a legacy ECDSA key pair')
    .option('--legacy', 'make a legacy ECDSA key pair instead')
    .option('--curve <curve>', 'legacy curve: secp256k1 or p256 (default p256)')
    .option('--out <dir>', 'write key files to DIR (private files get mode 0600)')
    .option('--force', 'overwrite existing key files in --out DIR')
    .addOption(jsonOption())
  example(keygen, 'usersig keygen > secret.key', 'usersig keygen --legacy --curve secp256k1 --out ./keys')
  keygen.action(async (opts) => run(await (await import('./commands/keygen.js')).keygen(opts)))

  const scan = program
    .command('scan')
    .description('find UserSig secret keys and private keys committed by mistake; exit 1 if any')
    .argument('[paths...]', 'files or directories (default: .)')
    .addOption(jsonOption())
  example(scan, 'usersig scan src dist', 'usersig scan --json . > findings.json')
  scan.addHelpText('after', '\nSkips node_modules, .git, symlinks, binary files and files over 5 MiB. Add a "usersig-scan-ignore" comment to a line to allow it.')
  scan.action(async (paths, opts) => run(await (await import('./commands/scan/index.js')).scan(paths, opts)))

  const serve = program
    .command('serve')
    .description('run the issuing service (@usersig/server)')
    .option('--config <file>', 'service config (.json, .yaml or .yml); default: USERSIG_CONFIG, else the environment, else the demo')
    .option('--host <host>', 'listen on this address (overrides the config)')
    .option('--port <port>', 'listen on this port (overrides the config; 0 picks a free one)')
  example(serve, 'usersig serve --config usersig.yaml', 'usersig serve --config usersig.yaml --host 127.0.0.1 --port 8080')
  serve.addHelpText('after', '\nStops on SIGTERM/SIGINT after draining requests; SIGHUP reloads the config.')
  serve.action(async (opts) => run(await (await import('./commands/serve.js')).serve(opts)))

  return program
}
