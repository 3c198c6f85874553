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
