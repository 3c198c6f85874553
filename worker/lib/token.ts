/**
 * Bearer tokens issued by this deployment: `bd_` and 43 base64url characters (32 random bytes).
 * Only their SHA-256 hex (sha256Hex in ./crypto, createHash('sha256') in scripts/user.ts) is stored.
 * Any other shape (the demo's `demo-coordinator`, a test's `test-admin-token`, a hand-written one) is a
 * well-known or guessable token: the worker refuses it unless ALLOW_DEMO_TOKENS=true, which only
 * `npm start`, the UI tests' wrangler dev and the Workers tests set (never wrangler.toml).
 */
export const ISSUED_TOKEN = /^bd_[A-Za-z0-9_-]{43}$/

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  const b64 = btoa(String.fromCharCode(...bytes))
  return `bd_${b64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}`
}

export const DEFAULT_TOKEN_DAYS = 90
export const MAX_TOKEN_DAYS = 730
