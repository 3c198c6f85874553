/** Shapes the UI reads from the API (see worker/schemas). Optional fields tolerate routes still landing. */
export type Level = 'normal' | 'yellow' | 'orange' | 'red'
export type Component = 'WB' | 'RBC' | 'PLT' | 'FFP' | 'CRYO'
export type Abo = 'O' | 'A' | 'B' | 'AB'
export type Rhd = '+' | '-'
export type Urgency = 'emergency' | 'urgent' | 'routine'

export const COMPONENTS: Component[] = ['RBC', 'WB', 'PLT', 'FFP', 'CRYO']
export const ABOS: Abo[] = ['O', 'A', 'B', 'AB']
export const URGENCIES: Urgency[] = ['emergency', 'urgent', 'routine']
export const LEVELS: Level[] = ['normal', 'yellow', 'orange', 'red']

export type Site = { id: string; nameZh: string; nameEn: string; kind: 'center' | 'station' | 'storage'; province: string; city: string; lat: number; lng: number }

export type StockRow = {
  siteId: string
  component: Component
  abo: Abo
  rhd: Rhd
  onHand: number
  inTransit: number
  expiring72h: number
  avgDailyIssue: number
  daysOfSupply: number | null
  level: Level
}

export type WarningRow = { siteId: string; component: Component; abo: Abo | '*'; rhd: Rhd | '*'; level: Level; daysOfSupply: number | null; since?: string }

export type AidRequest = {
  id: string
  siteId: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
  fulfilledQty?: number
  urgency: Urgency
  neededBy?: string | null
  reason: string
  status: string
  createdAt?: string
}

export type TransferStatus = 'proposed' | 'approved' | 'rejected' | 'committed' | 'dispatched' | 'received' | 'cancelled'
export type Transfer = {
  id: string
  planId?: string | null
  fromSite: string
  toSite: string
  component: Component
  abo: Abo
  rhd: Rhd
  proposedQty?: number
  qty: number
  etaHours: number
  status: TransferStatus
  requests?: { requestId: string; qty: number }[]
  rejectReason?: string | null
}

export type Unmet = { need: string; qty: number; reason?: string; message?: string }
export type InstanceNeed = { id: string; site: string; component: Component; abo: Abo; rhd: Rhd; qty: number; urgency?: Urgency }
export type PlanSummary = { id: string; createdAt: string; status: string; mode: string; transferCount: number; unmetUnits: number }

export type Plan = {
  id: string
  status: string
  mode?: string
  createdAt?: string
  transferCount?: number
  unmetUnits?: number
  instance?: { needs?: InstanceNeed[]; antigenRounds?: { antigens: string; instance: { needs?: InstanceNeed[] } }[] }
  transfers: Transfer[]
  unmet: Unmet[]
}

export const SCENARIOS = ['spring-festival', 'summer', 'epidemic', 'custom'] as const
export type Scenario = (typeof SCENARIOS)[number]
export type SimPolicy = { name: string; dispatch: 'none' | 'planner'; reserveDays: number; triggerDays: number; mode?: 'routine' | 'disaster'; planEveryDays?: number }
export type SimulationBody = { scenario: Scenario; days: number | undefined; seed?: number; policies: SimPolicy[] }
type ByComponent = Record<string, number>
export type SimPolicyResult = {
  policy: SimPolicy
  demandUnits: number
  shortageUnits: number
  shortageByComponent: ByComponent
  fillRate: number
  redDays: number
  redSiteDays: ByComponent
  transferredUnits: number
  transferCount: number
  wastageUnits: number
  wastageByComponent: ByComponent
  series: { day: number; date: string; shortageUnits: number; demandUnits: number; transferredUnits: number; stationsRed: number }[]
}
/** POST /api/simulations (worker/schemas/simulation.ts), the parts the page shows. */
export type SimulationResult = {
  scenario: Scenario
  start: string
  days: number
  seed: number
  sites: number
  components: Component[]
  assumptions: string[]
  policies: SimPolicyResult[]
  elapsedMs: number
}
