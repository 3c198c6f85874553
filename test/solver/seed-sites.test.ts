// The demo's sites are kept twice, as data (data/sites-sichuan-chongqing.csv) and as code (seed/sites.ts): the two agree.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SEED_SITES } from '../../seed/sites'

const csv = readFileSync(new URL('../../data/sites-sichuan-chongqing.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(','))

describe('the demo sites as data and as code', () => {
  it('list the same 24 sites with the same names, kind, province and coordinates, Wanzhou among them', () => {
    expect(csv[0]).toEqual(['id', 'name_en', 'name_zh', 'kind', 'province', 'lat', 'lng'])
    const rows = csv
      .slice(1)
      .map(([id, nameEn, nameZh, kind, province, lat, lng]) => ({ id, nameEn, nameZh, kind, province, lat: Number(lat), lng: Number(lng) }))
    expect(rows).toHaveLength(24)
    expect(rows).toEqual(SEED_SITES.map(({ id, nameEn, nameZh, kind, province, lat, lng }) => ({ id, nameEn, nameZh, kind, province, lat, lng })))
    expect(rows.find((r) => r.id === 'WZ')).toEqual({
      id: 'WZ',
      nameEn: 'Chongqing Three Gorges Central Blood Station',
      nameZh: '重庆三峡中心血站',
      kind: 'station',
      province: 'Chongqing',
      lat: 30.808,
      lng: 108.408,
    })
  })
})
