/** The fast paths give the same results as the general implementations and as node's built-ins. */
import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { base64Encode, base64DecodeStrict, tencentBase64Encode, tencentBase64Decode } from '../src/_base64.js'
import { base64DecodeStrictReference, hmacContent, signedStream, tokenJsonBytes } from './_reference.js'
import { utf8Decode, utf8Encode, utf8Length } from '../src/_utf8.js'
import { readTokenJson } from '../src/_tokenjson.js'
import { readJsonObject } from '../src/_json.js'
import { contentBytes, identifierBytes, isPlainIdentifier } from '../src/_payload.js'
import { zlibCompress } from '../src/_deflate.js'
import { inflateSync } from 'node:zlib'
import { createHmac } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { asciiBytesInto, asciiString } from '../src/_ascii.js'
import { decodeUserSig } from '../src/index.js'

test('base64 encode equals Buffer (standard and Tencent alphabets)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
    const std = Buffer.from(b).toString('base64')
    assert.equal(base64Encode(b), std)
    assert.equal(tencentBase64Encode(b), std.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_'))
  }), { numRuns: 500 })
})

test('strict base64 decode: fast path equals the reference, on valid and corrupted input', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.constantFrom('A', '=', '*', '-', '_', ' ', '\n', 'é', '+', '/'), (b, pos, ch) => {
    const s = Buffer.from(b).toString('base64')
    assert.deepEqual(base64DecodeStrict(s), new Uint8Array(b))
    const bad = s.length ? s.slice(0, pos % s.length) + ch + s.slice((pos % s.length) + 1) : ch
    assert.deepEqual(base64DecodeStrict(bad), base64DecodeStrictReference(bad))
  }), { numRuns: 2000 })
})

test('Tencent decode: canonical fast path equals Buffer; variants are decoded the same', () => {
  const decoded = (s: string) => {
    const r = tencentBase64Decode(s)
    return r.bytes.slice(0, r.length)
  }
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (b) => {
    const t = tencentBase64Encode(b)
    assert.deepEqual(decoded(t), new Uint8Array(b))
    const std = Buffer.from(b).toString('base64')
    assert.deepEqual(decoded(std), new Uint8Array(b))
    assert.deepEqual(decoded(t.replace(/_+$/, '')), new Uint8Array(b))
    assert.deepEqual(decoded(t.replace(/(.{10})/g, '$1\n')), new Uint8Array(b))
  }), { numRuns: 500 })
})

test('UTF-8 encode/decode equal TextEncoder/TextDecoder (fatal) for any string and byte sequence', () => {
  const td = new TextDecoder('utf-8', { fatal: true })
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
    assert.deepEqual(utf8Encode(s), new TextEncoder().encode(s))
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length)
  }), { numRuns: 1000 })
  fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
    let expected: string | null
    try { expected = td.decode(b) } catch { expected = null }
    assert.equal(utf8Decode(b), expected)
  }), { numRuns: 3000 })
  // Mostly lead and continuation bytes at the edges of their ranges, read from inside a larger array: valid and
  // invalid sequences both common, and a sequence cut by `end` refused.
  const edge = fc.constantFrom(0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff)
  fc.assert(fc.property(fc.array(fc.oneof(edge, fc.integer({ min: 0, max: 255 })), { maxLength: 24 }), fc.nat(3), fc.nat(3), (bytes, pre, post) => {
    const b = new Uint8Array(pre + bytes.length + post).fill(0x80)
    b.set(bytes, pre)
    let expected: string | null
    try { expected = td.decode(b.subarray(pre, pre + bytes.length)) } catch { expected = null }
    assert.equal(utf8Decode(b, pre, pre + bytes.length), expected)
  }), { numRuns: 5000 })
})

/** The reader's answer: the members, or 'error'. */
function read(bytes: Uint8Array): unknown {
  try { return readTokenJson(bytes, bytes.length).members } catch { return 'error' }
}

/** Why the reader refuses `bytes`. */
function why(bytes: Uint8Array): string {
  try { readTokenJson(bytes, bytes.length) } catch (e) { return (e as Error).message }
  return 'accepted'
}

test('the token reader agrees with JSON.parse whenever it answers, and refuses only what it must', () => {
  const key = fc.oneof(fc.constantFrom('TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.sig', '__proto__', 'a'), fc.string({ maxLength: 8 }))
  const val = fc.oneof(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 53 }), fc.double(), fc.boolean(), fc.constant(null), fc.string({ unit: 'binary', maxLength: 5 }))
  const doc = fc.array(fc.tuple(key, val), { maxLength: 8 }).map((members) => '{' + members.map(([k, v]) => JSON.stringify(k) + ':' + JSON.stringify(v)).join(',') + '}')
  const mutated = fc.tuple(doc, fc.nat(), fc.constantFrom(' ', '"', ',', '{', '}', '\\', '0', '.', 'e')).map(([d, p, c]) => d.slice(0, p % (d.length + 1)) + c + d.slice(p % (d.length + 1)))
  fc.assert(fc.property(fc.oneof(doc, mutated), (text) => {
    const bytes = utf8Encode(text)
    const ours = read(bytes)
    let general: unknown
    try { general = JSON.parse(new TextDecoder().decode(bytes)) } catch { general = 'error' }
    if (ours === 'error') {
      // Refused although JSON: only for a duplicate key, a lone surrogate, or a payload that is not an object.
      if (general !== 'error') assert.match(why(bytes), /duplicate key|lone surrogate|not a JSON object/, `refused valid JSON: ${text}`)
      return
    }
    assert.notEqual(general, 'error', `accepted what JSON.parse rejects: ${text}`)
    assert.deepEqual(ours, general)
    assert.deepEqual(Object.keys(ours as object), Object.keys(general as object))
  }), { numRuns: 5000 })
})

test('content and JSON bytes equal the string forms', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.nat(), fc.nat(), fc.nat(), fc.option(fc.base64String()), (id, a, t, e, ub) => {
    fc.pre(!/[\uD800-\uDFFF]/.test(id))
    const ids = identifierBytes(id)
    assert.deepEqual(Buffer.from(contentBytes(ids.raw, a, t, e, ub)).toString('utf8'), hmacContent(id, a, t, e, ub))
    assert.deepEqual(Buffer.from(contentBytes(id, a, t, e, ub)).toString('utf8'), hmacContent(id, a, t, e, ub))
    // The token JSON the signer writes for the same values (through its one-pass writer).
    const ubBytes = ub === null ? null : new Uint8Array(Buffer.from(ub, 'base64'))
    const { z, mac: sig } = signedStream(String(a), id, a, t, e, ubBytes)
    const j = inflateSync(z).toString('utf8')
    const expected = '{"TLS.ver":"2.0","TLS.identifier":' + JSON.stringify(id) + ',"TLS.sdkappid":' + a + ',"TLS.time":' + t + ',"TLS.expire":' + e +
      (ubBytes === null ? '' : ',"TLS.userbuf":"' + Buffer.from(ubBytes).toString('base64') + '"') + ',"TLS.sig":"' + Buffer.from(sig).toString('base64') + '"}'
    assert.equal(j, expected)
  }), { numRuns: 1000 })
})

/** Runs test/_portable-child.ts (the core without TextDecoder and TextEncoder) on `cases` and returns its results. */
function portable(cases: { encode: [string, string][]; ascii: string[]; tokens: string[] }): { host: boolean; encode: string[][]; ascii: [number, number[] | null][]; tokens: unknown[] } {
  const child = fileURLToPath(new URL('./_portable-child.ts', import.meta.url))
  const out = execFileSync(process.execPath, ['--import', 'tsx', child], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 })
  return JSON.parse(out) as ReturnType<typeof portable>
}

/** decodeUserSig's answer as the child reports it: the decoded token as JSON, or the error's code and stage. */
function decodeAnswer(t: string): unknown {
  try {
    return { ok: JSON.parse(JSON.stringify(decodeUserSig(t))) as unknown }
  } catch (e) {
    return { code: (e as { code?: string }).code, stage: (e as { stage?: string }).stage }
  }
}

test('the portable string paths (no TextDecoder or TextEncoder, as in mini-programs) give the same results', () => {
  // Strings, bytes → base64 and back, and whole decodes, in a child process whose host has neither class.
  const encode = fc.sample(fc.tuple(fc.uint8Array({ maxLength: 20000 }), fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 300 })), { numRuns: 300, seed: 12 })
    .map(([b, s]): [string, string] => [Buffer.from(b).toString('base64'), s])
  const ascii = fc.sample(fc.string({ maxLength: 400 }), { numRuns: 1000, seed: 12 })
  // A long token, and the same with one non-ASCII character anywhere: MALFORMED (stage base64) on both paths.
  const tok = 'eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__'
  const tokens = [tok]
  for (const at of [0, 1, 70, tok.length - 3, tok.length - 1]) {
    for (const ch of ['é', '中', '\u{1F600}', '\u00ff']) tokens.push(tok.slice(0, at) + ch + tok.slice(at + 1))
  }
  const child = portable({ encode, ascii, tokens })
  assert.equal(child.host, false)
  encode.forEach(([b64, s], i) => {
    const b = new Uint8Array(Buffer.from(b64, 'base64'))
    const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0))
    assert.deepEqual(child.encode[i], [base64Encode(b), tencentBase64Encode(b), asciiString(bytes, 0, bytes.length)])
  })
  ascii.forEach((s, i) => {
    const out = new Uint8Array(s.length)
    const fast = asciiBytesInto(s, out)
    const [slow, slowBytes] = child.ascii[i]!
    assert.equal(fast, slow)
    assert.deepEqual(fast < 0 ? null : Array.from(out), slowBytes)
    const isAscii = /^[\x00-\x7f]*$/.test(s)
    assert.equal(fast, isAscii ? s.length : -1)
    if (isAscii) assert.deepEqual(Array.from(out), Array.from(s, (c) => c.charCodeAt(0)))
  })
  assert.deepEqual(child.tokens, tokens.map(decodeAnswer))
  assert.ok('ok' in (child.tokens[0] as object))
  for (const answer of child.tokens.slice(1)) assert.deepEqual(answer, { code: 'MALFORMED', stage: 'base64' })
})

test('the one-pass token writer (signedToken) gives a zlib stream of exactly the token JSON', () => {
  const check = (id: string, a: number, t: number, e: number, ub: Uint8Array | null, key: string) => {
    const idJson = isPlainIdentifier(id) ? id : identifierBytes(id).json
    const { z: stream, mac } = signedStream(key, id, a, t, e, ub)
    const z = Buffer.from(stream)
    const json = Buffer.from(tokenJsonBytes(idJson, a, t, e, ub, mac))
    assert.equal(z[0], 0x78)
    assert.deepEqual(inflateSync(z), json)
  }
  fc.assert(fc.property(
    fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.stringMatching(/^[a-z0-9_]{1,32}$/), fc.constantFrom('0', '00000', 'aaaaaaa', '"', '\\', '":"', '","TLS.', '中文', '\u{1F600}')),
    fc.oneof(fc.constantFrom(0, 1, 1400000000, 1400000001, 4294967295), fc.nat()),
    fc.oneof(fc.constantFrom(0, 1763912345, 1000000000, 1111111111), fc.nat()),
    fc.oneof(fc.constantFrom(1, 300, 86400, 604800, 1111111111), fc.nat()),
    fc.option(fc.uint8Array({ maxLength: 200 })),
    // The key: each gives other signature bytes (the writer codes them without looking for repeats).
    fc.string({ minLength: 1, maxLength: 80 }),
    (id, a, t, e, ub, key) => {
      fc.pre(!/[\uD800-\uDFFF]/.test(id))
      check(id, a, t, e, ub, key)
    }), { numRuns: 2000 })
  // Runs in every value, an empty userbuf, and a userbuf so large that the repeats after it are out of deflate's reach.
  check('aaaa', 1000000000, 1000000000, 1000000000, new Uint8Array(300), 'k')
  check('alice', 1400000000, 1763912345, 86400, new Uint8Array(0), 'key')
  check('alice', 1400000000, 1763912345, 86400, new Uint8Array(65535).map((_, i) => (i * 7) & 255), 'other key')
})

test('the signer reuses its buffers: each token is whole and exact, whatever size came before it', async () => {
  // Caught a buffer that grew too little: a token longer than any before it lost its last characters.
  const { createSigner } = await import('../src/index.js')
  const key = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
  const signer = createSigner({ sdkAppId: 1400000000, secretKey: key })
  for (const n of [0, 1, 2, 3, 700, 701, 702, 1500, 4000, 65535, 5, 9000, 2, 30000]) {
    const ub = new Uint8Array(n).map((_, i) => (i * 31 + (i >> 8)) & 255)
    const token = signer.userSigWithUserBuf('alice', ub, { now: 1763912345, expiresIn: 3600 })
    assert.match(token, /^[A-Za-z0-9*-]+_{0,2}$/)
    const json = inflateSync(Buffer.from(token.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64'))
    const mac = createHmac('sha256', key).update(hmacContent('alice', 1400000000, 1763912345, 3600, Buffer.from(ub).toString('base64'))).digest()
    assert.deepEqual(new Uint8Array(json), tokenJsonBytes('alice', 1400000000, 1763912345, 3600, ub, new Uint8Array(mac)), `userbuf of ${n} bytes`)
  }
})

test('the one-pass token writer compresses about as well as the general compressor', () => {
  // The general compressor searches for repeats everywhere; the template writer only codes the ones every token has,
  // plus runs. Measured over these inputs: within half a byte of it on average, both kinds.
  let ours = 0
  let general = 0
  let oursPmk = 0
  let generalPmk = 0
  for (let i = 0; i < 500; i++) {
    const id = `u${(i * 7919).toString(36)}_${i}`
    const ub = Uint8Array.from([0, 0, id.length, ...Buffer.from(id), 0x53, 0x73, 0x84, 0, 0, 0, (i >> 8) & 255, i & 255, 0x69, 0x23, 0x2b, 0xc5, 0, 0, 0, 255, 0, 0, 0, 0])
    for (const u of [null, ub]) {
      const { z: stream, mac } = signedStream('5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e', id, 1400000000, 1763912345 + i * 37, u ? 300 : 86400, u)
      const z = stream.length
      const g = zlibCompress(tokenJsonBytes(id, 1400000000, 1763912345 + i * 37, u ? 300 : 86400, u, mac)).length
      if (u) { oursPmk += z; generalPmk += g } else { ours += z; general += g }
    }
  }
  assert.ok(ours / 500 <= general / 500 + 1, `UserSig: ${ours / 500} vs ${general / 500} bytes`)
  assert.ok(oursPmk / 500 <= generalPmk / 500 + 2, `PrivateMapKey: ${oursPmk / 500} vs ${generalPmk / 500} bytes`)
})

/**
 * What the Node-layout reader makes of `b`: the members, or null when it leaves the input to the general reader (which
 * always calls JSON.parse; the layout reader never does).
 */
function nodeLayout(b: Uint8Array): unknown {
  const parse = JSON.parse
  let general = false
  JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
    general = true
    return parse(text, reviver)
  }) as typeof JSON.parse
  try {
    const members = readTokenJson(b, b.length).members
    return general ? null : members
  } catch {
    return null
  } finally {
    JSON.parse = parse
  }
}

test('the Node-layout reader gives the same object as the general reader, or leaves the input to it', () => {
  const str = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'alice', 'a\\"b', '\u0001', '中文', '\u{1F600}', 'AAAAAA=='))
  const num = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '00', '01', '1.5', '1e3', '-1', '1234567890123456', '123456789012345', ''))
  const sep = fc.constantFrom('', '', '', ' ', '\n')
  // TLS.sig: any string, and the 44 characters of a real signature (which the reader makes in one call), also with
  // bytes that are not ASCII, so that 44 bytes are not 44 characters.
  const sig44 = fc.oneof(str, fc.string({ minLength: 44, maxLength: 44 }), fc.uint8Array({ minLength: 32, maxLength: 32 }).map((m) => Buffer.from(m).toString('base64')),
    fc.constantFrom('A'.repeat(42) + 'é', 'é'.repeat(22), 'A'.repeat(43) + '\u0001', 'A'.repeat(41) + '\u{1F600}'))
  fc.assert(fc.property(str, num, num, num, fc.option(str), sig44, sep, fc.constantFrom('', '', ' ', 'x'), (id, a, t, e, ub, sig, ws, tail) => {
    const text = '{"TLS.ver":"2.0","TLS.identifier":' + JSON.stringify(id).replace(/\\u([0-9a-f]{4})/g, (m, h) => parseInt(h, 16) < 0x20 ? String.fromCharCode(parseInt(h, 16)) : m) +
      ',"TLS.sdkappid":' + a + ',' + ws + '"TLS.time":' + t + ',"TLS.expire":' + e + (ub === null ? '' : ',"TLS.userbuf":"' + ub.replace(/["\\]/g, '') + '"') +
      ',"TLS.sig":"' + sig.replace(/["\\]/g, '') + '"}' + tail
    const b = new Uint8Array(Buffer.from(text, 'utf8'))
    const layout = nodeLayout(b)
    let general: unknown = null
    try { general = readJsonObject(b, b.length).members } catch { /* refused */ }
    if (layout !== null) {
      assert.deepEqual(layout, general)
      assert.deepEqual(Object.keys(layout as object), Object.keys(general as object))
    }
    // Compact, well-formed input in this layout is always taken by the layout reader.
    // (Escapes and numbers other than plain digits are left to the general reader.)
    const plain = !text.includes('\\') && [a, t, e].every((x) => /^(0|[1-9][0-9]{0,14})$/.test(x))
    if (general !== null && ws === '' && tail === '' && plain) assert.notEqual(layout, null)
  }), { numRuns: 3000 })
})
