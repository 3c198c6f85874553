// Per-policy counters and the summary built from them.
import type { Component } from '../types'
import type { Region } from './region'
import type { Balance, ByComponent, DayPoint, Policy, PolicyResult } from './types'

export class Metrics {
  demand: number[]
  shortage: number[]
  /** routine demand postponed by a warning level's cut (neither issued nor short) */
  deferred: number[]
  issued: number[]
  collected: number[]
  expired: number[]
  start: number[]
  /** [site][comp] */
  shortageBySite: number[][]
  redSiteDays: number[]
  redDays = 0
  transferredUnits = 0
  transferCount = 0
  unitHours = 0
  plans = 0
  solveMs = 0
  series: DayPoint[] = []

  constructor(private region: Region) {
    const C = region.comps.length
    const zeros = () => new Array<number>(C).fill(0)
    this.demand = zeros()
    this.shortage = zeros()
    this.deferred = zeros()
    this.issued = zeros()
    this.collected = zeros()
    this.expired = zeros()
    this.start = zeros()
    this.redSiteDays = zeros()
    this.shortageBySite = region.sites.map(zeros)
  }

  result(policy: Policy, end: number[], inTransit: number[]): PolicyResult {
    const comps = this.region.comps
    const byComp = (xs: number[]): ByComponent => Object.fromEntries(comps.map((c, i) => [c, xs[i]!])) as ByComponent
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
    const demandUnits = sum(this.demand)
    const shortageUnits = sum(this.shortage)
    const balance: Balance[] = comps.map((component: Component, i) => ({
      component,
      start: this.start[i]!,
      collected: this.collected[i]!,
      issued: this.issued[i]!,
      expired: this.expired[i]!,
      end: end[i]!,
      inTransit: inTransit[i]!,
    }))
    return {
      policy,
      demandUnits,
      shortageUnits,
      shortageByComponent: byComp(this.shortage),
      deferredUnits: sum(this.deferred),
      deferredByComponent: byComp(this.deferred),
      shortageBySite: this.region.sites
        .map((s, i) => ({ site: s.id, units: sum(this.shortageBySite[i]!), byComponent: byComp(this.shortageBySite[i]!) }))
        .filter((r) => r.units > 0)
        .sort((a, b) => b.units - a.units || a.site.localeCompare(b.site)),
      fillRate: demandUnits > 0 ? Math.round((1 - shortageUnits / demandUnits) * 10_000) / 10_000 : 1,
      redDays: this.redDays,
      redSiteDays: byComp(this.redSiteDays),
      transferredUnits: this.transferredUnits,
      transferCount: this.transferCount,
      unitHours: Math.round(this.unitHours * 10) / 10,
      wastageUnits: sum(this.expired),
      wastageByComponent: byComp(this.expired),
      balance,
      series: this.series,
      plans: this.plans,
      solveMs: Math.round(this.solveMs),
    }
  }
}
