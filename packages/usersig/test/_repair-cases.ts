/**
 * The pasted forms of issue 15 §2, built around a given token, with the phrase each repair must name. Shared by the
 * core's, the CLI's and the service's tests, so every surface is checked on the same inputs.
 */
export function pastesOf(sig: string, pmk: string, sdkAppId: number, expiresAt: number): readonly [name: string, pasted: string, says: RegExp, token: string][] {
  // A token without '*', '-' or '_' reads the same percent-encoded, and that case would test nothing: callers sign
  // with a fixed key whose token has them (a random key gives such a token about one time in four).
  if (!/[*_-]/.test(sig)) throw new Error('pastesOf: the token has no character that percent-encoding changes; sign with another fixed key')
  return [
    ['Bearer prefix', `Bearer ${sig}`, /Bearer/, sig],
    ['Authorization header line', `Authorization: Bearer ${sig}`, /Authorization/, sig],
    ['usersig= cookie', `usersig=${sig};`, /usersig=/, sig],
    ['double quotes', `"${sig}"`, /quotes/, sig],
    ['percent-encoding', encodeURIComponent(sig).replace(/\*/g, '%2A').replace(/_/g, '%5F').replace(/-/g, '%2D'), /percent/, sig],
    ['issuing service JSON response', JSON.stringify({ sdkAppId, userId: 'alice', userSig: sig, expiresAt }, null, 2), /"userSig" field/, sig],
    ['issuing service PrivateMapKey response', JSON.stringify({ sdkAppId, userId: 'alice', privateMapKey: pmk, expiresAt }), /"privateMapKey" field/, pmk],
    ['official sample JSON (data wrapper)', JSON.stringify({ code: 0, data: { SDKAppID: sdkAppId, UserSig: sig } }), /"UserSig" field/, sig],
    ['URL with the token in the query', `https://example.com/im?sdkappid=${sdkAppId}&identifier=admin&usersig=${encodeURIComponent(sig)}&random=1`, /query string/, sig],
    ['e-mail line breaks', sig.replace(/(.{40})/g, '$1\r\n'), /line breaks/, sig],
    ['terminal wrapping with spaces', sig.slice(0, 50) + '\n  ' + sig.slice(50), /line breaks/, sig],
  ]
}
