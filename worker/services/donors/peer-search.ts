import type { LinkCtx } from '../../link/donors'
import type { PeerDonorQueryT, PeerDonorT, PeerSearchT } from '../../schemas/donor-link'

// Apart from services/donors/link.ts (which reads this province's pool for a peer), so the pool's search can ask
// the linked provinces without the two modules importing each other.

/** A signed GET to a linked province (worker/link): the caller passes it, so this service knows nothing of HTTP signing. */
export type PeerGet = (province: string, pathAndQuery: string) => Promise<Response>

/**
 * The linked provinces' answers to a donor search, each within a few seconds: a province that does not answer is
 * listed as unreachable with why, never silently left out. Planners get counts only.
 */
export async function searchPeers(
  link: LinkCtx,
  peerGet: PeerGet | null,
  asker: { name: string; seesDonors: boolean },
  q: Omit<PeerDonorQueryT, 'by'>,
): Promise<PeerSearchT[]> {
  if (!link || !peerGet || link.peers.length === 0) return []
  const params = new URLSearchParams({ component: q.component })
  for (const k of ['antigens', 'abo', 'rhd', 'allowRhPositive', 'eligible'] as const) if (q[k]) params.set(k, q[k]!)
  params.set('by', asker.name)
  return Promise.all(
    link.peers.map(async (province): Promise<PeerSearchT> => {
      const down = (error: string): PeerSearchT => ({ province, reachable: false, error, total: null, eligibleNow: null, donors: null })
      try {
        const res = await peerGet(province, `/api/link/donors?${params}`)
        if (!res.ok) return down(`${province} answered ${res.status}`)
        const body = (await res.json()) as { donors?: PeerDonorT[] }
        if (!Array.isArray(body.donors)) return down(`${province} answered without donors`)
        const donors = body.donors
        return {
          province,
          reachable: true,
          error: null,
          total: donors.length,
          eligibleNow: donors.filter((d) => d.eligibleNow).length,
          donors: asker.seesDonors ? donors : null,
        }
      } catch (e) {
        return down(e instanceof Error ? e.message : String(e))
      }
    }),
  )
}
