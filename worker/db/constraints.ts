/**
 * The one place that reads SQLite's (D1's) error text. Guards in the schema — UNIQUE, CHECK, NOT NULL, FOREIGN KEY
 * and triggers' RAISE(ABORT, …) — are how a batch refuses a write; services ask here which guard failed, by name,
 * and never match the database's wording themselves.
 */

/** A failed guard, as read from the error. */
export type Violation =
  | { kind: 'unique' | 'not_null'; table: string; columns: string[] }
  | { kind: 'check'; detail: string } // the constraint's name, or its expression when unnamed
  | { kind: 'foreign_key' }
  | { kind: 'raise'; trigger: Trigger }

/** Each trigger's RAISE(ABORT, …) message (migrations/), by the name services use. */
const RAISES = {
  transfer_status: 'illegal transfer status change',
  transfer_qty_fixed: 'transfer quantity is fixed after commit',
  transfer_thaw: 'transfer_thaw',
  transfer_not_thawed: 'transfer_not_thawed',
  plan_superseded: 'plan superseded',
  callup_status: 'illegal callup status change',
  donor_deferred: 'donor_deferred',
  donor_no_consent: 'donor_no_consent',
  incident_closed: 'incident is closed',
  site_parent: 'site_parent',
  user_site_kind: 'user_site_kind',
  last_admin: 'last_admin',
  hospital_order_status: 'hospital_order_status',
  hospital_order_parties: 'hospital_order_parties',
  callup_link_decided: 'callup_link_decided',
} as const
export type Trigger = keyof typeof RAISES

const COLUMN_GUARD = /(UNIQUE|NOT NULL) constraint failed: (.+?)(?=: SQLITE_|$)/m
const CHECK_GUARD = /CHECK constraint failed: (.+?)(?=: SQLITE_|$)/m

/** Which guard an error from D1 stands for; null when it is no guard (rethrow it). */
export function violation(e: unknown): Violation | null {
  const text = String(e)
  const col = COLUMN_GUARD.exec(text)
  if (col) {
    const cols = col[2].split(',').map((c) => c.trim())
    return { kind: col[1] === 'UNIQUE' ? 'unique' : 'not_null', table: cols[0]?.split('.')[0] ?? '', columns: cols.map((c) => c.split('.')[1] ?? c) }
  }
  const check = CHECK_GUARD.exec(text)
  if (check || text.includes('CHECK constraint failed')) return { kind: 'check', detail: check?.[1] ?? '' }
  if (text.includes('FOREIGN KEY constraint failed')) return { kind: 'foreign_key' }
  for (const [trigger, message] of Object.entries(RAISES)) if (text.includes(message)) return { kind: 'raise', trigger: trigger as Trigger }
  return null
}

const onColumns = (v: Violation | null, kind: 'unique' | 'not_null', table?: string, column?: string) =>
  v?.kind === kind && (!table || v.table === table) && (!column || v.columns.includes(column))

/** A UNIQUE (or primary key) guard failed: on any table, on this table, or on this table's column. */
export const isUnique = (e: unknown, table?: string, column?: string) => onColumns(violation(e), 'unique', table, column)

/** A NOT NULL guard failed on this table's column (the "expected value, else NULL" guards of a batch). */
export const isNotNull = (e: unknown, table: string, column: string) => onColumns(violation(e), 'not_null', table, column)

/** A CHECK guard failed: any, or one whose name or expression mentions `about` (e.g. 'qty', 'commit_check_holds'). */
export const isCheck = (e: unknown, about?: string) => {
  const v = violation(e)
  return v?.kind === 'check' && (!about || v.detail.includes(about))
}

export const isForeignKey = (e: unknown) => violation(e)?.kind === 'foreign_key'

/** This trigger refused the write. */
export const isRaised = (e: unknown, trigger: Trigger) => {
  const v = violation(e)
  return v?.kind === 'raise' && v.trigger === trigger
}
