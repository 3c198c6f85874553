// Road times for the demo region: every ordered pair of the 24 sites, derived from the expressway network.
//
// How the table is made (docs/domain-facts.md, "Road times"): each link below is one expressway leg between two
// neighbouring sites, timed for a car carrying a transport box, door to door (city driving at both ends included),
// from the leg's length by the expressway and an average of about 85 km/h on the open road, minus ~10 % in
// mountains. The table is the fastest chain of links for every pair (Floyd–Warshall), rounded to 0.1 h, with the
// chain in the note. Written from knowledge of the network (no map service was reachable when it was made) and
// calibrated against the known times: Chengdu–Chongqing about 3.5 h, Chengdu–Yibin about 3 h, Chengdu–Panzhihua
// 7–8 h, Chengdu–Kangding about 4 h, Chengdu–Ma'erkang 4–5 h (checked in test/worker/seed/demo.test.ts). An admin
// corrects any pair through PUT /api/road-times or the CSV import.
import { STORAGE_POINTS } from './sites'

/** [a, b, hours, expressway(s), note]: one leg, usable both ways. */
export const ROAD_LINKS: readonly [string, string, number, string, string?][] = [
  ['CD', 'SC', 0.3, 'Chengdu city roads'],
  ['CD', 'DY', 1.0, 'G5 Jingkun (Chengmian)'],
  ['DY', 'MY', 0.9, 'G5 Jingkun (Chengmian)'],
  ['MY', 'GY', 2.3, 'G5 Jingkun (Mianguang)', 'Qinling foothills: fog and ice in winter'],
  ['CD', 'SN', 1.9, 'G42 Hurong (Chengnan)'],
  ['SN', 'NC', 1.2, 'G42 Hurong (Chengnan)'],
  ['NC', 'GA', 1.2, 'G75 / Nanguang'],
  ['NC', 'BZ', 1.6, 'G85 / Bannan'],
  ['NC', 'DZ', 2.0, 'G42 Hurong (Nanda)'],
  ['NC', 'CQ', 2.4, 'G75 Lanhai (Yuhe)'],
  ['GY', 'BZ', 2.0, 'G5012 Guangba'],
  ['GY', 'NC', 2.6, 'G75 Lanhai (Guangnan)'],
  ['BZ', 'DZ', 1.8, 'G5012 Bada'],
  ['DZ', 'GA', 1.9, "G65 Baomao / Dazhou–Guang'an"],
  ['DZ', 'CQ', 3.0, 'G65 Baomao (Yuda)'],
  ['GA', 'CQ', 1.8, 'G65 Baomao (Yulin)'],
  // Wanzhou's two legs are estimates like the rest (no map service was reachable): about 3.3 h to Chongqing, about
  // 2.0 h to Dazhou; every other pair of WZ goes through one of them
  ['WZ', 'CQ', 3.3, 'G50 Huyu / G42 Hurong (Yuwan)'],
  ['WZ', 'DZ', 2.0, 'G42 Hurong / G65 Baomao (Wanda)'],
  ['MY', 'SN', 1.9, 'G0511 Mianshui'],
  ['SN', 'CQ', 2.2, 'G93 Chengyu ring (Yusui)'],
  ['SN', 'NJ', 1.5, 'G93 Chengyu ring (Suinei)'],
  ['CD', 'CQ', 3.5, 'G76 / G85 Chengyu expressway', 'the known time: about 3.5 h'],
  ['CD', 'ZY', 1.1, 'G76 Chengyu (Chengzi)'],
  ['ZY', 'NJ', 1.1, 'G76 Chengyu'],
  ['NJ', 'CQ', 2.1, 'G85 Yurong'],
  ['NJ', 'ZG', 0.7, 'G4215 Chengzilu'],
  ['CD', 'ZG', 2.2, 'G4215 Chengzilu'],
  ['ZG', 'YB', 0.9, 'G4215 / Yizi'],
  ['ZG', 'LZ', 1.4, 'G4215 Chengzilu'],
  ['CD', 'YB', 3.0, 'G4216 Chengyi', 'the known time: about 3 h'],
  ['LZ', 'YB', 1.3, 'G93 Chengyu ring (Yilu)'],
  ['LZ', 'CQ', 2.3, 'G93 Chengyu ring (Yulu)'],
  ['NJ', 'LZ', 1.5, 'G85 / Neilu'],
  ['CD', 'MS', 1.0, 'G5 / G93 Chengle'],
  ['MS', 'LS', 1.0, 'G93 Chengle'],
  ['MS', 'ZY', 1.5, 'Suizimei'],
  ['LS', 'YB', 2.0, 'G93 Leyi'],
  ['LS', 'ZG', 1.7, 'G93 Lezi'],
  ['LS', 'YA', 1.6, 'G93 Leya'],
  ['CD', 'YA', 1.8, 'G5 / G318 Chengya'],
  ['YA', 'GZ', 2.2, "G4218 Yakang (Ya'an–Kangding)", 'Erlangshan tunnel; snow and rockfall can close it'],
  ['YA', 'XC', 3.5, 'G5 Yaxi', 'Nibashan tunnels and the double-spiral: snow, ice and fog in winter'],
  ['XC', 'PZH', 2.3, 'G5 Xipan'],
  ['GZ', 'AB', 6.5, 'G350 / G248 via Danba (national roads, no expressway)', 'mountain roads: passes can close in snow'],
  ['CD', 'AB', 4.5, "G4217 Duwen + Wenma (Wenchuan–Ma'erkang)", 'long tunnels; landslides in the rainy season, ice in winter'],
]

/** A storage point's road to its station (seed/sites.ts). */
export const STORAGE_LINKS: readonly [string, string, number, string, string?][] = STORAGE_POINTS.map((p) => [p.id, p.parentId, p.hoursToStation, p.road])

export type SeedRoadTime = { from: string; to: string; hours: number; note: string }

/** The fastest chain of links for every ordered pair of `ids`, rounded to 0.1 h, the chain in the note. */
export function roadTable(
  ids: readonly string[],
  links: readonly (readonly [string, string, number, string, string?])[] = [...ROAD_LINKS, ...STORAGE_LINKS],
): SeedRoadTime[] {
  const idx = new Map(ids.map((id, i) => [id, i]))
  const n = ids.length
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)))
  const next = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? j : -1)))
  const leg = new Map<string, { road: string; note?: string }>()
  for (const [a, b, h, road, note] of links) {
    const i = idx.get(a),
      j = idx.get(b)
    if (i === undefined || j === undefined) continue // a link to a site outside `ids`
    for (const [x, y] of [
      [i, j],
      [j, i],
    ])
      if (h < d[x][y]) {
        d[x][y] = h
        next[x][y] = y
      }
    leg.set(`${a}|${b}`, { road, note })
    leg.set(`${b}|${a}`, { road, note })
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (d[i][k] + d[k][j] < d[i][j] - 1e-9) {
          d[i][j] = d[i][k] + d[k][j]
          next[i][j] = next[i][k]
        }
  const out: SeedRoadTime[] = []
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue
      if (!Number.isFinite(d[i][j])) throw new Error(`no road from ${ids[i]} to ${ids[j]}`)
      const path = [i]
      while (path[path.length - 1] !== j) path.push(next[path[path.length - 1]][j])
      const legs = path.slice(1).map((y, k) => leg.get(`${ids[path[k]]}|${ids[y]}`)!)
      const warnings = [...new Set(legs.map((l) => l.note).filter((x): x is string => !!x && !x.startsWith('the known')))]
      const note = `${path.map((p) => ids[p]).join('→')}: ${legs.map((l) => l.road).join('; ')}${warnings.length ? ` (${warnings.join('; ')})` : ''}`
      out.push({ from: ids[i], to: ids[j], hours: Math.round(d[i][j] * 10) / 10, note: note.slice(0, 300) })
    }
  return out
}
