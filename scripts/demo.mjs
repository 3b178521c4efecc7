#!/usr/bin/env node
// A short walk through the core: sign, decode, verify and explain a UserSig and a PrivateMapKey for a demo app.
// Run with `npm run demo` (after `npm run build`). The key is generated for this run and never printed.
import { createSigner, decodeUserSig, verifyUserSig, explainUserSig, generateSecretKey, keyFingerprint } from 'usersig'

const sdkAppId = 1400000000
const secretKey = generateSecretKey()
const now = Math.floor(Date.now() / 1000)
const step = (n, title) => console.log(`\n${n}. ${title}`)

console.log(`usersig demo: app ${sdkAppId}, a fresh secret key (fingerprint ${keyFingerprint(secretKey)})`)
const signer = createSigner({ sdkAppId, secretKey })

step(1, "sign a UserSig for 'alice', valid 7 days")
const userSig = signer.userSig('alice', { expiresIn: '7d', now })
console.log(`   ${userSig}`)

step(2, 'decode it (no key needed)')
const d = decodeUserSig(userSig)
console.log(`   version ${d.version}, identifier ${d.identifier}, sdkAppId ${d.sdkAppId}`)
console.log(`   issued ${new Date(d.time * 1000).toISOString()}, expires ${new Date(d.expiresAt * 1000).toISOString()}`)

step(3, 'verify it with the key')
const ok = verifyUserSig(userSig, { sdkAppId, userId: 'alice', secretKey, now })
console.log(`   ok: ${ok.ok}${ok.ok ? `, signed by key ${ok.keyId}` : ''}`)

step(4, "verify it as 'bob' (what the IM service would say)")
const bad = verifyUserSig(userSig, { sdkAppId, userId: 'bob', secretKey, now })
console.log(`   ok: ${bad.ok}, reason ${bad.reason}, Tencent error ${bad.tencentCode}: ${bad.message}`)

step(5, 'a PrivateMapKey for room 1234 with audience privileges, valid 5 minutes')
const pmk = signer.privateMapKey('alice', { roomId: 1234, privileges: 'audience', expiresIn: 300, now })
const p = decodeUserSig(pmk).privateMapKey
console.log(`   room ${p.roomId}, privileges ${p.privileges} (${p.privilegeNames.join(', ')}), inner expiry ${new Date(p.expiresAt * 1000).toISOString()}`)

step(6, 'explain a truncated UserSig')
const ex = explainUserSig(userSig.slice(0, 100), { sdkAppId, userId: 'alice', now })
console.log(`   ${ex.summary}`)
for (const f of ex.findings) console.log(`   - [${f.severity}] ${f.message}\n     fix: ${f.fix}`)
