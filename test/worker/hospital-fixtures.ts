// Hospitals for a test file (issue 23): three hospitals in the registers of YB and NC (each is a site by trigger,
// migration 0057), a blood-bank user for each, and NC's director. Tokens are sent by hand so the shared TOKENS stay as they are.
import { env } from 'cloudflare:workers'
import { sha256Hex } from '../../worker/lib/crypto'
import { call, seedBase } from './fixtures'

export const HOSPITAL_TOKENS = {
  HYB1: 'test-hospital-hyb1-token',
  HYB2: 'test-hospital-hyb2-token',
  HNC1: 'test-hospital-hnc1-token',
  directorNC: 'test-director-nc-token',
} as const
export type HospitalWho = keyof typeof HOSPITAL_TOKENS

export async function seedHospitals(db: D1Database = env.DB): Promise<void> {
  await seedBase(db)
  const at = '2026-01-01T00:00:00Z'
  const hospitals: [string, string, string][] = [
    ['HYB1', 'YB', '宜宾市第一人民医院'],
    ['HYB2', 'YB', '宜宾市第二人民医院'],
    ['HNC1', 'NC', '南充市中心医院'],
  ]
  await db.batch(
    hospitals.map(([id, site, name]) =>
      db.prepare("INSERT OR IGNORE INTO hospital (id, site_id, name_zh, name_en, county, created_at) VALUES (?1, ?2, ?3, '', '', ?4)").bind(id, site, name, at),
    ),
  )
  const users: [string, string, string, string][] = [
    ['u-hosp-hyb1', 'hospital', 'HYB1', HOSPITAL_TOKENS.HYB1],
    ['u-hosp-hyb2', 'hospital', 'HYB2', HOSPITAL_TOKENS.HYB2],
    ['u-hosp-hnc1', 'hospital', 'HNC1', HOSPITAL_TOKENS.HNC1],
    ['u-dir-nc', 'director', 'NC', HOSPITAL_TOKENS.directorNC],
  ]
  await db.batch(
    await Promise.all(
      users.map(async ([id, role, site, token]) =>
        db
          .prepare('INSERT OR IGNORE INTO user (id, name, role, site_id, token_hash, created_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5)')
          .bind(id, role, site, await sha256Hex(token), at),
      ),
    ),
  )
}

type Opts = { body?: unknown; headers?: Record<string, string> }
/** A call as one of the hospital users (or NC's director), checked against the OpenAPI document like every call. */
export const callAs = (who: HospitalWho, method: string, path: string, opts: Opts = {}) =>
  call(method, path, { ...opts, as: null, headers: { ...opts.headers, authorization: `Bearer ${HOSPITAL_TOKENS[who]}` } })
