// Hospitals' blood banks (输血科) in the demo (issue 23): what a few hospitals of Yibin, Garze and Wanzhou hold and
// have transfused over the last weeks, so their days of supply mean something. Deterministic: its own PRNG stream,
// so adding it changes no other draw of the demo. A hospital's receipts stand for what its station sent it; its
// issues are transfusions; platelets that outlive their 5 days are discarded.
import { poisson, prng } from '../solver/simulation/random'
import type { Abo, Component, DemoHospital, DemoLot, DemoMovement, Rhd } from './demo'

const DAY = 86_400_000
const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

export type HospitalBank = {
  /** the hospital's id in its station's register (and its site id) */
  id: string
  siteId: string
  nameZh: string
  nameEn: string
  county: string
  /** not among the station's named hospitals (seed/sites.ts SEED_HOSPITALS): added to the register here */
  addToRegister: boolean
  /** red-cell units transfused per day, on average */
  rbcPerDay: number
  platelets: boolean
  /** the blood-bank user's demo login */
  login: `hospital-${string}`
  userName: string
}

export const HOSPITAL_BANKS: readonly HospitalBank[] = [
  {
    id: 'YB1',
    siteId: 'YB',
    nameZh: '宜宾市第一人民医院',
    nameEn: "Yibin First People's Hospital",
    county: '',
    addToRegister: false,
    rbcPerDay: 9,
    platelets: true,
    login: 'hospital-yb1',
    userName: '宜宾一院输血科',
  },
  {
    id: 'YB2',
    siteId: 'YB',
    nameZh: '宜宾市第二人民医院',
    nameEn: "Yibin Second People's Hospital",
    county: '',
    addToRegister: false,
    rbcPerDay: 5,
    platelets: false,
    login: 'hospital-yb2',
    userName: '宜宾二院输血科',
  },
  {
    id: 'GZ1',
    siteId: 'GZ',
    nameZh: '甘孜州人民医院',
    nameEn: "Garze Prefecture People's Hospital",
    county: '',
    addToRegister: false,
    rbcPerDay: 2,
    platelets: false,
    login: 'hospital-gz1',
    userName: '甘孜州医院输血科',
  },
  {
    // its id predates the Wanzhou station (kept: it is the blood bank's site id and login); supplied by WZ
    id: 'CQWZ1',
    siteId: 'WZ',
    nameZh: '重庆大学附属三峡医院',
    nameEn: 'Chongqing University Three Gorges Hospital (Wanzhou)',
    county: '万州区',
    addToRegister: true,
    rbcPerDay: 10,
    platelets: true,
    login: 'hospital-cqwz1',
    userName: '三峡医院输血科',
  },
]

/** The Yibin hospital that is low on O-negative red cells: one unit left after three transfusions in two weeks. */
export const LOW_O_NEGATIVE = 'YB1'

const GROUPS: [Abo, number][] = [
  ['O', 0.342],
  ['A', 0.287],
  ['B', 0.282],
  ['AB', 0.089],
]
const PER_RBC: Partial<Record<Component, number>> = { RBC: 1, FFP: 0.6, PLT: 0.12 }
/**
 * Days of use a hospital keeps on hand after a delivery, and how often its station delivers, in days: enough that an
 * ordinary hospital reads normal against the stations' thresholds between deliveries (platelets are kept short).
 */
const KEEP: Partial<Record<Component, { days: number; every: number; shelfDays: number; ageDays: number }>> = {
  RBC: { days: 7, every: 3, shelfDays: 35, ageDays: 6 },
  FFP: { days: 14, every: 7, shelfDays: 365, ageDays: 40 },
  PLT: { days: 2.5, every: 1, shelfDays: 5, ageDays: 1 },
}
const HISTORY_DAYS = 21

export type HospitalBankData = { hospitals: DemoHospital[]; lots: DemoLot[]; movements: DemoMovement[]; batchDays: string[] }

/** Lots and ledger rows of the hospitals' blood banks for the weeks before `nowMs`. */
export function hospitalBanks(nowMs: number, seed = 20261123): HospitalBankData {
  const rand = prng(seed + 23)
  const lots: DemoLot[] = []
  const movements: DemoMovement[] = []
  const days = new Set<string>()
  const startMs = Math.floor(nowMs / DAY) * DAY - HISTORY_DAYS * DAY
  const move = (lotId: string, siteId: string, kind: DemoMovement['kind'], delta: number, atMs: number) => {
    const day = iso(atMs).slice(0, 10)
    days.add(day)
    movements.push({ batchId: `seed-${day}`, lotId, siteId, kind, delta, at: iso(atMs) })
  }

  for (const h of HOSPITAL_BANKS) {
    for (const c of ['RBC', 'FFP', 'PLT'] as Component[]) {
      if (c === 'PLT' && !h.platelets) continue
      const keep = KEEP[c]!
      for (const [abo, share] of GROUPS) {
        const mean = h.rbcPerDay * PER_RBC[c]! * share
        let n = 0
        const live: { id: string; qty: number; expiresMs: number }[] = []
        for (let d = 0; d < HISTORY_DAYS; d++) {
          const dayMs = startMs + d * DAY
          // a delivery in the morning brings the shelf back to `keep.days` of use
          if (d % keep.every === 0) {
            const held = live.reduce((a, l) => a + l.qty, 0)
            const qty = Math.max(0, Math.round(mean * (keep.days + keep.every)) - held)
            if (qty > 0) {
              const atMs = dayMs + 8 * HOUR + Math.floor(rand() * 120) * 60_000
              const collectedMs = atMs - keep.ageDays * DAY
              const id = `${h.id}-${c}-${abo}P-${String(++n).padStart(3, '0')}`
              const expiresMs = collectedMs + keep.shelfDays * DAY
              lots.push({
                id,
                siteId: h.id,
                component: c,
                abo,
                rhd: '+',
                antigens: '',
                collectedAt: iso(collectedMs),
                expiresAt: iso(expiresMs),
                createdAt: iso(atMs),
              })
              move(id, h.id, 'receipt', qty, atMs)
              live.push({ id, qty, expiresMs })
            }
          }
          // the day's transfusions, first-expiring units first, never more than the shelf holds
          let want = poisson(rand, mean)
          const atMs = dayMs + 10 * HOUR + Math.floor(rand() * 600) * 60_000
          if (atMs >= nowMs) continue
          for (const l of live.sort((a, b) => a.expiresMs - b.expiresMs)) {
            if (want <= 0) break
            if (l.qty <= 0 || l.expiresMs <= atMs) continue
            const take = Math.min(want, l.qty)
            l.qty -= take
            want -= take
            move(l.id, h.id, 'issue', -take, atMs)
          }
          // units that expired on the shelf are discarded at the end of the day
          for (const l of live)
            if (l.qty > 0 && l.expiresMs <= dayMs + DAY && l.expiresMs < nowMs) {
              move(l.id, h.id, 'discard', -l.qty, Math.max(l.expiresMs, atMs) + 1000)
              l.qty = 0
            }
        }
      }
    }
  }

  // O-negative red cells at the Yibin hospital: a delivery of four 16 days ago, three transfusions since
  const low = HOSPITAL_BANKS.find((h) => h.id === LOW_O_NEGATIVE)!
  const recMs = startMs + 5 * DAY + 9 * HOUR
  const id = `${low.id}-RBC-ON-001`
  lots.push({
    id,
    siteId: low.id,
    component: 'RBC',
    abo: 'O',
    rhd: '-' as Rhd,
    antigens: '',
    collectedAt: iso(recMs - 5 * DAY),
    expiresAt: iso(recMs + 30 * DAY),
    createdAt: iso(recMs),
  })
  move(id, low.id, 'receipt', 4, recMs)
  for (const daysAgo of [12, 6, 2]) move(id, low.id, 'issue', -1, Math.floor(nowMs / DAY) * DAY - daysAgo * DAY + 14 * HOUR)

  const hospitals = HOSPITAL_BANKS.filter((h) => h.addToRegister).map((h) => ({
    id: h.id,
    siteId: h.siteId,
    nameZh: h.nameZh,
    nameEn: h.nameEn,
    county: h.county,
  }))
  movements.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  return { hospitals, lots, movements, batchDays: [...days].sort() }
}
