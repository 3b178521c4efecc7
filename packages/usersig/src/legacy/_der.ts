/**
 * A minimal DER reader and writer (X.690) for the handful of types EC key files use: SEQUENCE, INTEGER, OCTET STRING,
 * BIT STRING, OBJECT IDENTIFIER, NULL and context-specific tags [0] / [1].
 *
 * Every read is bounds-checked against its enclosing element. Every failure is a UserSigError with the caller's code
 * and a message naming what was expected, what was found and where; it never includes the bytes themselves (they are
 * key material).
 * @module
 */
import { UserSigError, type UserSigErrorCode } from '../errors.js'

/** Universal tags this module reads and writes. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const

/**
 * The tag byte of a constructed context-specific element `[n]` (explicit tagging, as in SEC1 ECPrivateKey).
 * @example
 * contextTag(0) // 0xa0
 */
export function contextTag(n: number): number {
  return 0xa0 | n
}

function tagName(tag: number): string {
  switch (tag) {
    case TAG.INTEGER: return 'INTEGER'
    case TAG.BIT_STRING: return 'BIT STRING'
    case TAG.OCTET_STRING: return 'OCTET STRING'
    case TAG.NULL: return 'NULL'
    case TAG.OID: return 'OBJECT IDENTIFIER'
    case TAG.SEQUENCE: return 'SEQUENCE'
    default:
      if ((tag & 0xe0) === 0xa0) return `[${tag & 0x1f}]`
      if ((tag & 0xe0) === 0x80) return `[${tag & 0x1f}] (primitive)`
      return `tag 0x${tag.toString(16).padStart(2, '0')}`
  }
}

/**
 * Reads DER elements in order from a byte range. Nested constructed elements are read with child readers that
 * cannot run past their parent.
 * @example
 * const r = new DerReader(der, 'INVALID_PUBLIC_KEY', 'public key')
 * const spki = r.sequence(); r.end()
 * const alg = spki.sequence()
 * const oid = alg.oid() // '1.2.840.10045.2.1'
 */
export class DerReader {
  readonly #bytes: Uint8Array
  readonly #end: number
  readonly #code: UserSigErrorCode
  readonly #what: string
  #pos: number

  /**
   * @param bytes the DER data
   * @param code the error code for every failure (INVALID_PRIVATE_KEY, INVALID_PUBLIC_KEY, …)
   * @param what what is being read, for messages ("private key", "EC PARAMETERS")
   */
  constructor(bytes: Uint8Array, code: UserSigErrorCode, what: string, start: number = 0, end: number = bytes.length) {
    this.#bytes = bytes
    this.#code = code
    this.#what = what
    this.#pos = start
    this.#end = end
  }

  /** True when every element in this range has been read. */
  get done(): boolean {
    return this.#pos >= this.#end
  }

  /** The tag of the next element, or undefined at the end of the range. */
  peekTag(): number | undefined {
    return this.#pos < this.#end ? this.#bytes[this.#pos] : undefined
  }

  /**
   * Throws the reader's UserSigError with `message`, prefixed by what is being read.
   * @example
   * if (version !== 1) r.fail(`unsupported version ${version}`)
   */
  fail(message: string, hint?: string): never {
    throw new UserSigError(this.#code, `${this.#what}: ${message}`, hint === undefined ? {} : { hint })
  }

  /** Reads the next element's header; returns the content range. */
  #header(expected: number, label: string): { start: number; end: number } {
    const b = this.#bytes
    const at = this.#pos
    if (at >= this.#end) this.fail(`truncated: expected ${label} at byte ${at}, found the end of the data`, 'the key file is cut off; copy it again in full')
    const tag = b[at]!
    if (tag !== expected) this.fail(`expected ${label} at byte ${at}, found ${tagName(tag)}`)
    if (at + 1 >= this.#end) this.fail(`truncated: ${label} at byte ${at} has no length`, 'the key file is cut off; copy it again in full')
    let len = b[at + 1]!
    let start = at + 2
    if (len === 0x80) this.fail(`${label} at byte ${at} uses an indefinite length, which DER forbids`)
    if (len > 0x80) {
      const n = len & 0x7f
      if (n > 3) this.fail(`${label} at byte ${at} declares an implausible length`)
      if (start + n > this.#end) this.fail(`truncated: length of ${label} at byte ${at} is cut off`, 'the key file is cut off; copy it again in full')
      len = 0
      for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!
      start += n
    }
    const end = start + len
    if (end > this.#end) {
      this.fail(`truncated: ${label} at byte ${at} declares ${len} bytes but only ${this.#end - start} remain`, 'the key file is cut off or damaged; copy it again in full')
    }
    this.#pos = end
    return { start, end }
  }

  /**
   * Reads an element with tag `tag` and returns its content bytes (a view, not a copy).
   * @example
   * r.read(TAG.NULL) // Uint8Array(0)
   */
  read(tag: number): Uint8Array {
    const { start, end } = this.#header(tag, tagName(tag))
    return this.#bytes.subarray(start, end)
  }

  /** Reads a SEQUENCE and returns a reader over its elements. */
  sequence(): DerReader {
    const { start, end } = this.#header(TAG.SEQUENCE, 'SEQUENCE')
    return new DerReader(this.#bytes, this.#code, this.#what, start, end)
  }

  /**
   * Reads an optional explicit context element `[n]`: a reader over its content, or undefined if the next element
   * has another tag (or there is none).
   * @example
   * const params = seq.optionalContext(0)?.oid()
   */
  optionalContext(n: number): DerReader | undefined {
    if (this.peekTag() !== contextTag(n)) return undefined
    const { start, end } = this.#header(contextTag(n), `[${n}]`)
    return new DerReader(this.#bytes, this.#code, this.#what, start, end)
  }

  /** Reads an INTEGER and returns its content bytes (two's complement, big-endian). */
  integer(): Uint8Array {
    const c = this.read(TAG.INTEGER)
    if (c.length === 0) this.fail('INTEGER with no content')
    return c
  }

  /**
   * Reads a small non-negative INTEGER (a version field) as a number.
   * @example
   * seq.smallInteger() // 1 for a SEC1 ECPrivateKey
   */
  smallInteger(): number {
    const c = this.integer()
    if (c[0]! & 0x80) this.fail('negative version number')
    if (c.length > 4) this.fail('version number is too large')
    let v = 0
    for (const x of c) v = v * 256 + x
    return v
  }

  /** Reads an OCTET STRING's content. */
  octetString(): Uint8Array {
    return this.read(TAG.OCTET_STRING)
  }

  /** Reads a BIT STRING that has no unused bits (keys are always whole bytes) and returns the bytes after the count. */
  bitString(): Uint8Array {
    const c = this.read(TAG.BIT_STRING)
    if (c.length === 0) this.fail('BIT STRING with no content')
    if (c[0] !== 0) this.fail(`BIT STRING has ${c[0]} unused bits; a key is a whole number of bytes`)
    return c.subarray(1)
  }

  /**
   * Reads an OBJECT IDENTIFIER in dotted form.
   * @example
   * new DerReader(Uint8Array.of(6, 5, 0x2b, 0x81, 4, 0, 10), 'INVALID_PRIVATE_KEY', 'x').oid() // '1.3.132.0.10'
   */
  oid(): string {
    const c = this.read(TAG.OID)
    if (c.length === 0) this.fail('empty OBJECT IDENTIFIER')
    const arcs: number[] = []
    let v = 0
    for (let i = 0; i < c.length; i++) {
      const x = c[i]!
      if (v === 0 && x === 0x80) this.fail('OBJECT IDENTIFIER has a non-minimal arc')
      if (v > 2 ** 45) this.fail('OBJECT IDENTIFIER arc is too large')
      v = v * 128 + (x & 0x7f)
      if (x & 0x80) {
        if (i === c.length - 1) this.fail('OBJECT IDENTIFIER is cut off')
        continue
      }
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2
        arcs.push(first, v - first * 40)
      } else arcs.push(v)
      v = 0
    }
    return arcs.join('.')
  }

  /** Asserts that the range has been read completely (no trailing bytes). */
  end(): void {
    if (this.#pos < this.#end) this.fail(`${this.#end - this.#pos} unexpected trailing bytes at byte ${this.#pos}`)
  }
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n]
  const out: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff)
  return [0x80 | out.length, ...out]
}

/**
 * Encodes one element: tag, definite length, content.
 * @example
 * derEncode(TAG.NULL, new Uint8Array(0)) // Uint8Array [5, 0]
 */
export function derEncode(tag: number, content: Uint8Array): Uint8Array {
  const len = lengthBytes(content.length)
  const out = new Uint8Array(1 + len.length + content.length)
  out[0] = tag
  out.set(len, 1)
  out.set(content, 1 + len.length)
  return out
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/**
 * A SEQUENCE of already-encoded elements.
 * @example
 * derSequence(derOid('1.2.840.10045.2.1'), derOid('1.3.132.0.10')) // an EC AlgorithmIdentifier
 */
export function derSequence(...elements: Uint8Array[]): Uint8Array {
  return derEncode(TAG.SEQUENCE, concat(elements))
}

/**
 * A non-negative INTEGER from a small number or from unsigned big-endian bytes (minimal form, sign byte added).
 * @example
 * derInteger(1) // Uint8Array [2, 1, 1]
 */
export function derInteger(value: number | Uint8Array): Uint8Array {
  let bytes: Uint8Array
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('derInteger: expected a non-negative safe integer')
    const out: number[] = []
    for (let v = value; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff)
    bytes = Uint8Array.from(out)
  } else bytes = value
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  bytes = bytes.subarray(i)
  if (bytes.length === 0) bytes = Uint8Array.of(0)
  if (bytes[0]! & 0x80) bytes = concat([Uint8Array.of(0), bytes])
  return derEncode(TAG.INTEGER, bytes)
}

/**
 * An OCTET STRING.
 * @example
 * derOctetString(secretKey) // 04 20 …
 */
export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derEncode(TAG.OCTET_STRING, bytes)
}

/**
 * A BIT STRING of whole bytes (unused-bits count 0).
 * @example
 * derBitString(uncompressedPoint) // 03 42 00 04 …
 */
export function derBitString(bytes: Uint8Array): Uint8Array {
  return derEncode(TAG.BIT_STRING, concat([Uint8Array.of(0), bytes]))
}

/**
 * An OBJECT IDENTIFIER from its dotted form.
 * @example
 * derOid('1.3.132.0.10') // Uint8Array [6, 5, 0x2b, 0x81, 4, 0, 10]
 */
export function derOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number)
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0) || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! >= 40)) {
    throw new RangeError(`derOid: invalid OID ${oid}`)
  }
  const out: number[] = []
  const push = (v: number): void => {
    const groups: number[] = [v & 0x7f]
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f))
    out.push(...groups)
  }
  push(arcs[0]! * 40 + arcs[1]!)
  for (const a of arcs.slice(2)) push(a)
  return derEncode(TAG.OID, Uint8Array.from(out))
}

/**
 * An explicit context-specific element `[n]` wrapping one encoded element.
 * @example
 * derContext(0, derOid('1.3.132.0.10')) // a0 07 06 05 2b 81 04 00 0a
 */
export function derContext(n: number, element: Uint8Array): Uint8Array {
  return derEncode(contextTag(n), element)
}
