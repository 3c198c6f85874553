import { createHash } from 'node:crypto'

/**
 * A small region for the UI tests, used only until scripts/seed-sql.ts (the demo data) exists:
 * four sites, one user per role, some red-cell stock and warning levels, and one open aid request.
 */
export const FIXTURE_TOKENS = {
  coordinator: 'demo-coordinator',
  planner: 'demo-planner',
  admin: 'demo-admin',
  directorYB: 'demo-director-yb',
} as const

const hash = (t: string) => createHash('sha256').update(t).digest('hex')
const at = (offset: string) => `strftime('%Y-%m-%dT%H:%M:%SZ','now','${offset}')`

export function fixtureSql(): string {
  const sites = [
    ['CD', '成都市血液中心', 'Chengdu Blood Center', 'center', 'Sichuan', 'Chengdu', 30.66, 104.06],
    ['CQ', '重庆市血液中心', 'Chongqing Blood Center', 'center', 'Chongqing', 'Chongqing', 29.56, 106.55],
    ['YB', '宜宾市中心血站', 'Yibin Central Blood Station', 'station', 'Sichuan', 'Yibin', 28.77, 104.63],
    ['MY', '绵阳市中心血站', 'Mianyang Central Blood Station', 'station', 'Sichuan', 'Mianyang', 31.47, 104.68],
  ] as const
  const users = [
    ['u_coord', '省协调员', 'coordinator', null, FIXTURE_TOKENS.coordinator],
    ['u_plan', '规划员', 'planner', null, FIXTURE_TOKENS.planner],
    ['u_admin', '管理员', 'admin', null, FIXTURE_TOKENS.admin],
    ['u_dir_yb', '宜宾站长', 'director', 'YB', FIXTURE_TOKENS.directorYB],
  ] as const
  const lots = [
    ['L_CD_O', 'CD', 'O', 400],
    ['L_CD_A', 'CD', 'A', 300],
    ['L_CQ_O', 'CQ', 'O', 200],
    ['L_YB_O', 'YB', 'O', 10],
    ['L_MY_O', 'MY', 'O', 60],
  ] as const
  const levels = [
    ['CD', 'normal', 12],
    ['CQ', 'yellow', 6],
    ['YB', 'red', 1.2],
    ['MY', 'orange', 4],
  ] as const
  const q = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`)
  const lines: string[] = []
  for (const s of sites) lines.push(`INSERT INTO site VALUES (${s.map(q).join(', ')}, ${at('-30 days')}, ${at('-30 days')});`)
  for (const [id, name, role, site, token] of users)
    lines.push(`INSERT INTO user VALUES (${q(id)}, ${q(name)}, ${q(role)}, ${q(site)}, ${q(hash(token))}, ${at('-30 days')});`)
  lines.push(`INSERT INTO movement_batch VALUES ('B_SEED', 'u_admin', 'seed-ui-fixture', 'x', 'seed', ${at('-1 days')});`)
  for (const [id, site, abo, qty] of lots) {
    lines.push(`INSERT INTO lot (id, site_id, component, abo, rhd, collected_at, expires_at, created_at) VALUES (${q(id)}, ${q(site)}, 'RBC', ${q(abo)}, '+', ${at('-5 days')}, ${at('+30 days')}, ${at('-5 days')});`)
    lines.push(`INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES ('B_SEED', ${q(id)}, ${q(site)}, 'receipt', ${qty}, 'u_admin', ${at('-1 days')});`)
  }
  for (const [site, level, d] of levels)
    lines.push(`INSERT INTO warning_state VALUES (${q(site)}, 'RBC', '*', '*', ${q(level)}, ${d}, ${at('-1 days')});`)
  lines.push(
    `INSERT INTO aid_request (id, site_id, component, abo, rhd, qty, urgency, needed_by, reason, status, created_by, created_at, updated_at) VALUES ` +
      `('req_fixture1', 'YB', 'RBC', 'O', '+', 40, 'emergency', ${at('+2 days')}, '车祸大出血，O型红细胞告急', 'open', 'u_dir_yb', ${at('-1 hours')}, ${at('-1 hours')});`,
  )
  return lines.join('\n') + '\n'
}
