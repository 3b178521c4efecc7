/**
 * Runs the core's string paths with no TextDecoder and no TextEncoder, as in mini-programs and bare ECMAScript hosts,
 * for test/fastpaths.test.ts: reads cases as JSON on stdin, prints the results as JSON. The host classes are removed
 * before the core is loaded, so its detection finds none (no setter in src/ is needed).
 */
delete (globalThis as { TextDecoder?: unknown }).TextDecoder
delete (globalThis as { TextEncoder?: unknown }).TextEncoder

const { base64Encode, tencentBase64Encode } = await import('../src/_base64.js')
const { asciiBytesInto, asciiString } = await import('../src/_ascii.js')
const { decodeUserSig } = await import('../src/index.js')

interface Cases { encode: [string, string][]; ascii: string[]; tokens: string[] }
let input = ''
for await (const chunk of process.stdin) input += chunk
const cases = JSON.parse(input) as Cases
const out = {
  host: typeof (globalThis as { TextDecoder?: unknown }).TextDecoder !== 'undefined' || typeof (globalThis as { TextEncoder?: unknown }).TextEncoder !== 'undefined',
  encode: cases.encode.map(([b64, s]) => {
    const b = new Uint8Array(Buffer.from(b64, 'base64'))
    const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0))
    return [base64Encode(b), tencentBase64Encode(b), asciiString(bytes, 0, bytes.length)]
  }),
  ascii: cases.ascii.map((s) => {
    const o = new Uint8Array(s.length)
    const n = asciiBytesInto(s, o)
    return [n, n < 0 ? null : Array.from(o)]
  }),
  tokens: cases.tokens.map((t) => {
    try {
      return { ok: decodeUserSig(t) }
    } catch (e) {
      return { code: (e as { code?: string }).code, stage: (e as { stage?: string }).stage }
    }
  }),
}
process.stdout.write(JSON.stringify(out))
