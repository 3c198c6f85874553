/**
 * The link's signature: HMAC-SHA256 (Web Crypto) over `${from}\n${timestamp}\n${body}` with the secret the two
 * provinces share, sent as X-Link-From, X-Link-Timestamp (ms since the epoch) and X-Link-Signature (hex). The
 * timestamp bounds a captured request's life to MAX_SKEW_MS; the message id (the inbox's PRIMARY KEY) does the rest.
 */
export const MAX_SKEW_MS = 5 * 60_000

const enc = new TextEncoder()

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(text))
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export async function signLink(secret: string, from: string, body: string, now = Date.now()): Promise<Record<string, string>> {
  const ts = String(now)
  return { 'x-link-from': from, 'x-link-timestamp': ts, 'x-link-signature': await hmacHex(secret, `${from}\n${ts}\n${body}`) }
}

/** Constant-time comparison of two hex strings of the same length. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Why a signed request is refused, or null when it is good. */
export async function verifyLink(
  secret: string | null,
  h: { from?: string; timestamp?: string; signature?: string },
  body: string,
  now = Date.now(),
): Promise<string | null> {
  if (!secret) return 'unknown sender'
  if (!h.from || !h.timestamp || !h.signature) return 'missing X-Link-From, X-Link-Timestamp or X-Link-Signature'
  const ts = Number(h.timestamp)
  if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_SKEW_MS) return 'timestamp more than 5 minutes off'
  return sameHex(h.signature.toLowerCase(), await hmacHex(secret, `${h.from}\n${h.timestamp}\n${body}`)) ? null : 'bad signature'
}
