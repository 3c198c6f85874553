// Daily issue per station from a documented basis (docs/domain-facts.md, "Volumes"):
//   red-cell U per day = population × donations per 1,000 people ÷ 1,000 × whole-blood share × U per donation ÷ 365.
// Population: the prefecture's resident population at the 7th national census (2020), in millions (figures as
// remembered; no statistics service was reachable when this was written: check against the census bulletin).
// Donations per 1,000 people: the national rate, about 11 (/work/shared/data/domain-facts.md); Sichuan and
// Chongqing are taken at the national rate for want of a provincial figure.
// Whole-blood share 96 %, apheresis platelets 4 % of donations (a city's quarter, domain facts).
// U per whole-blood donation: 1.8 (most donations are 400 mL = 2 U, some 200–300 mL): an estimate.
// Check: Yibin collects about 16 t of whole blood a year (Yibin article) ≈ 16,000 kg ÷ 1.05 kg/L ÷ 0.2 L = 76,000 U a
// year ≈ 208 U a day; the basis gives 4.59 M × 11 × 0.96 × 1.8 ÷ 365 ≈ 239 U a day, 1.15 times the article.

export const DONATIONS_PER_1000 = 11
export const WHOLE_BLOOD_SHARE = 0.96
export const APHERESIS_SHARE = 0.04
export const U_PER_DONATION = 1.8
/** Therapeutic doses per apheresis donation (single and double doses): an estimate. */
export const DOSES_PER_APHERESIS = 1.5

/** North-east Chongqing's population served from Wanzhou (see CQ below). */
const WZ_POPULATION_M = 1.56 + 1.2 + 0.93 + 0.74 + 0.72 + 0.65 + 0.46 + 0.39 + 0.19

/** Resident population (millions, 2020 census) served by each blood center or station. */
export const POPULATION_M: Readonly<Record<string, number>> = {
  // Chengdu (20.94 M) is served by the city's center and the provincial center: 60 / 40 here (an assumption)
  CD: 20.94 * 0.6,
  SC: 20.94 * 0.4,
  // Chongqing (32.05 M) is served by the city's centre and, in the north-east, by the Three Gorges station in Wanzhou.
  // WZ is taken to serve Wanzhou and the north-eastern districts and counties around it (Wanzhou 1.56, Kaizhou 1.20,
  // Yunyang 0.93, Fengjie 0.74, Zhongxian 0.72, Liangping 0.65, Wushan 0.46, Wuxi 0.39, Chengkou 0.19 M: 6.84 M, figures
  // as remembered), an assumption; CQ keeps the rest, so Chongqing's total stays 32.05 M.
  CQ: 32.05 - WZ_POPULATION_M,
  ZG: 2.49,
  PZH: 1.21,
  LZ: 4.25,
  DY: 3.46,
  MY: 4.87,
  GY: 2.31,
  SN: 2.81,
  NJ: 3.14,
  LS: 3.16,
  NC: 5.61,
  MS: 2.96,
  YB: 4.59,
  GA: 3.25,
  DZ: 5.39,
  YA: 1.43,
  BZ: 2.71,
  ZY: 2.31,
  AB: 0.82,
  GZ: 1.11,
  XC: 4.86,
  WZ: WZ_POPULATION_M,
}

/**
 * The people-served rows (table site_population, migration 0059) the demo's Wanzhou split changes: the migration counts
 * all of Chongqing at CQ and has no WZ. The seed writes these over it (seed/demo-sql.ts).
 */
export const SPLIT_POPULATION: Readonly<Record<string, { source: string; sourceZh: string }>> = {
  CQ: {
    source: "7th national census 2020, Chongqing municipality 32.05 M residents less the Three Gorges station's north-east (an assumption)",
    sourceZh: '第七次全国人口普查（2020），重庆市常住人口 3205 万减三峡中心血站所供渝东北（假设）',
  },
  WZ: {
    source:
      '7th national census 2020, north-east Chongqing residents (Wanzhou, Kaizhou, Yunyang, Fengjie, Zhongxian, Liangping, Wushan, Wuxi, Chengkou), as remembered: the area taken to be served from Wanzhou (an assumption)',
    sourceZh: '第七次全国人口普查（2020），渝东北万州、开州、云阳、奉节、忠县、梁平、巫山、巫溪、城口常住人口（记忆数字；三峡中心血站服务区，假设）',
  },
}

/** The documented basis: red-cell U a day for a station's population. */
export const basisRbcPerDay = (populationM: number) => (((populationM * 1e6 * DONATIONS_PER_1000) / 1000) * WHOLE_BLOOD_SHARE * U_PER_DONATION) / 365

/** Apheresis platelet doses per red-cell U, from the donation mix: (4 % × 1.5) ÷ (96 % × 1.8) ≈ 0.035. */
export const PLT_PER_RBC = (APHERESIS_SHARE * DOSES_PER_APHERESIS) / (WHOLE_BLOOD_SHARE * U_PER_DONATION)
