/**
 * How a message shows a value from the command line: a short prefix, JSON-quoted, with every control or invisible
 * formatting character escaped; and a value that looks like a key is not shown at all. A secret pasted into the wrong
 * flag (`--now "$KEY"`) or in place of the token (`usersig explain "$(cat private.pem)"`) must not come back on stderr,
 * and a 100 KB value must not come back as a 100 KB message.
 */

/** Longest prefix of a value a message shows. */
const QUOTE_MAX = 32

/** What a message says instead of a value that looks like a key. */
export const KEY_NOT_SHOWN = 'a value that looks like a key was given; not shown'

// A PEM armour line, or a run of 32 hex or base64 characters: the shape of a console SDKSecretKey (64 hex), of a
// base64 key and of a PEM body line. Both are found in one left-to-right pass (each start tries at most 32 characters).
const PEM_MARKER = /-----BEGIN|-----END|PRIVATE KEY/
const KEY_RUN = /[A-Za-z0-9+/=_-]{32}/

/** True when `value` holds a PEM marker or 32 or more hex/base64 characters in a row. */
export function looksLikeKey(value: string): boolean {
  return PEM_MARKER.test(value) || KEY_RUN.test(value)
}

// C0 and C1 controls, DEL, and the invisible formatting characters that can reorder or hide text in a terminal
// (bidirectional overrides and isolates, zero-width characters, line and paragraph separators, BOM).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g
const escapeChar = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * A value for a message: `"prefix…"` (at most QUOTE_MAX characters, control and invisible characters escaped, a lone
 * surrogate escaped by JSON.stringify), or KEY_NOT_SHOWN when the value looks like a key.
 * @example quoteValue('yesterday') // '"yesterday"'
 */
export function quoteValue(value: string): string {
  if (looksLikeKey(value)) return `(${KEY_NOT_SHOWN})`
  let cut = Math.min(value.length, QUOTE_MAX)
  // Do not split a surrogate pair at the cut.
  const last = value.charCodeAt(cut - 1)
  if (cut < value.length && last >= 0xd800 && last <= 0xdbff) cut--
  const prefix = JSON.stringify(value.slice(0, cut)).replace(INVISIBLE, escapeChar)
  return cut < value.length ? `${prefix}…` : prefix
}

/** Longest message from commander that is passed on (its own texts are well under this). */
const COMMANDER_MAX = 240

/**
 * Commander's usage error with every command-line value it quotes shown the way quoteValue shows it: `unknown option
 * '<a whole PEM>'` becomes `unknown option (a value that looks like a key was given; not shown)`. Commander's own words
 * (flag names, choices, suggestions) stay. The values commander quotes are arguments, or the part of one after "=", so
 * each of those that is not short and plain is replaced where it appears quoted. What still looks like a key after
 * that (a value commander changed) is cut off at the first quote; what is still too long is cut short.
 */
export function sanitizeCommanderMessage(message: string, args: readonly string[]): string {
  const values = new Set<string>()
  for (const arg of args) {
    values.add(arg)
    const eq = arg.indexOf('=')
    if (eq !== -1) values.add(arg.slice(eq + 1))
  }
  let text = message
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value !== '' && quoteValue(value) !== JSON.stringify(value)) text = text.split(`'${value}'`).join(quoteValue(value))
  }
  if (looksLikeKey(text)) {
    const quote = text.indexOf("'")
    text = `${quote === -1 ? 'a command-line value was not understood:' : text.slice(0, quote).trimEnd()} (${KEY_NOT_SHOWN})`
  }
  text = text.replace(INVISIBLE, (ch) => (ch === '\n' ? ch : escapeChar(ch)))
  return text.length > COMMANDER_MAX ? `${text.slice(0, COMMANDER_MAX)}…` : text
}
