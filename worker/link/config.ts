/**
 * Province mode (issue 24). PROVINCE names the province this deployment is the system of ('Sichuan',
 * 'Chongqing'); unset is the one-region mode (the whole demo region in one database). LINK_PEERS is JSON
 * {"Chongqing": "https://…"}: each peer province and its base URL. LINK_SECRET is the link's HMAC key (a
 * `wrangler secret`), either one string for every link or JSON {"Chongqing": "…"} for a key per peer.
 */
export type LinkEnv = { PROVINCE?: string; LINK_PEERS?: string; LINK_SECRET?: string }

export const provinceOf = (env: LinkEnv): string | null => env.PROVINCE || null

export function linkPeers(env: LinkEnv): Record<string, string> {
  if (!env.LINK_PEERS) return {}
  const peers = JSON.parse(env.LINK_PEERS) as Record<string, string>
  // a trailing slash would double up in `${url}/api/link/inbox`
  return Object.fromEntries(Object.entries(peers).map(([p, url]) => [p, url.replace(/\/+$/, '')]))
}

/** The key shared with one peer, or null when none is configured (then the link refuses that peer). */
export function linkSecret(env: LinkEnv, peer: string): string | null {
  const s = env.LINK_SECRET
  if (!s) return null
  if (s.trimStart().startsWith('{')) return (JSON.parse(s) as Record<string, string>)[peer] ?? null
  return s
}
