import { useEffect, useState } from 'preact/hooks'
import { api } from './api'
import { getState, setState } from '../state'

/** One event of GET /api/events (worker/schemas/event.ts). */
export type AppEvent = import('../../../worker/schemas/event').EventT

const POLL_MS = 5_000
type Listener = (events: AppEvent[]) => void
const listeners = new Set<Listener>()
let timer: ReturnType<typeof setTimeout> | null = null
let cursor: number | null = null

/**
 * Polls the events feed by cursor while someone is signed in (every 5 s, so a change shows within 15 s as the
 * coordinators asked): each batch of events bumps `dataVersion` in the app state, which makes every open page
 * refetch (lib/use-api.ts), and goes to the listeners (the alerts).
 */
async function poll(): Promise<void> {
  timer = null
  if (!getState().token) return
  try {
    const page = await api<{ events: AppEvent[]; cursor: number }>(cursor === null ? '/api/events' : `/api/events?since=${cursor}`)
    const first = cursor === null
    cursor = page.cursor
    if (!first && page.events.length) {
      setState({ dataVersion: getState().dataVersion + 1 })
      for (const l of listeners) l(page.events)
    }
  } catch {
    // offline or signed out: try again at the next tick
  }
  if (getState().token) timer = setTimeout(poll, POLL_MS)
}

export function startEvents(): void {
  if (timer === null) timer = setTimeout(poll, 0)
}

export function stopEvents(): void {
  if (timer !== null) clearTimeout(timer)
  timer = null
  cursor = null
}

/** Calls `fn` with every new batch of events while the component is mounted. */
export function useEvents(fn: Listener): void {
  useEffect(() => {
    listeners.add(fn)
    return () => void listeners.delete(fn)
  }, [fn])
}

/**
 * A hospital's order that deserves an alert: an emergency call, for the director of the station it calls; the
 * station's answer (sent or declined), for the hospital that ordered. (The order's event names both sites.)
 */
const ORDER_ANSWERS = ['order.fill', 'order.decline']
function orderAlert(e: AppEvent, me: ReturnType<typeof getState>['me']): boolean {
  if ((e.entity as string) !== 'hospital_order' || !me?.siteId || !e.sites.includes(me.siteId)) return false
  if (me.role === 'director') return e.action === 'order.create' && e.urgency === 'emergency'
  return me.role === 'hospital' && ORDER_ANSWERS.includes(e.action)
}

/**
 * The events that deserve an alert: new emergency requests (for those who plan) and transfers to/from my station —
 * never my own action (a director who dispatches or receives is not told about it).
 */
export function useAlerts(): [AppEvent[], (id: number) => void] {
  const [alerts, setAlerts] = useState<AppEvent[]>([])
  useEffect(() => {
    const l: Listener = (events) => {
      const { me } = getState()
      const mine = events.filter(
        (e) =>
          e.actorId !== me?.id &&
          ((e.action === 'request.create' && e.urgency === 'emergency' && me?.role !== 'director' && me?.role !== 'hospital') ||
            orderAlert(e, me) ||
            (me?.role === 'director' &&
              me.siteId &&
              e.entity === 'transfer' &&
              e.sites.includes(me.siteId) &&
              ['transfer.commit', 'transfer.dispatch', 'transfer.receive', 'transfer.cancel'].includes(e.action)) ||
            // a donor of my station called up (the collecting station is the call-up's first site)
            (me?.role === 'director' && e.action === 'callup.create' && e.sites[0] === me.siteId) ||
            // another province asks to call our donors (issue 24): its coordinators decide
            (e.action === 'callup_link.receive' && (me?.role === 'coordinator' || me?.role === 'admin')) ||
            // a notice from another province's coordinator (issue 24), for those who coordinate
            (e.entity === 'notice' && me?.role !== 'director') ||
            // another province's step on an aid across the border, applied here by the link (docs/province-aid.md)
            (e.entity === 'province_aid' && e.actorId.startsWith('link:') && (me?.role === 'coordinator' || me?.role === 'admin'))),
      )
      if (mine.length) setAlerts((a) => [...a, ...mine].slice(-5))
    }
    listeners.add(l)
    return () => void listeners.delete(l)
  }, [])
  return [alerts, (id) => setAlerts((a) => a.filter((x) => x.id !== id))]
}
