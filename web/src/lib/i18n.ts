import donorsEn from '../locales/donors.en.json'
import donorsZh from '../locales/donors.zh.json'
import en from '../locales/en.json'
import handoffEn from '../locales/handoff.en.json'
import handoffZh from '../locales/handoff.zh.json'
import hospitalEn from '../locales/hospital.en.json'
import hospitalZh from '../locales/hospital.zh.json'
import hospitalsPlanEn from '../locales/hospitals-plan.en.json'
import hospitalsPlanZh from '../locales/hospitals-plan.zh.json'
import hospitalCoreEn from '../locales/hospital-core.en.json'
import hospitalCoreZh from '../locales/hospital-core.zh.json'
import incidentsEn from '../locales/incidents.en.json'
import incidentsZh from '../locales/incidents.zh.json'
import offlineEn from '../locales/offline.en.json'
import offlineZh from '../locales/offline.zh.json'
import provinceAidEn from '../locales/province-aid.en.json'
import provinceAidZh from '../locales/province-aid.zh.json'
import regionEn from '../locales/region.en.json'
import regionZh from '../locales/region.zh.json'
import reportsEn from '../locales/reports.en.json'
import reportsZh from '../locales/reports.zh.json'
import zh from '../locales/zh.json'
import linkEn from '../locales/link.en.json'
import linkZh from '../locales/link.zh.json'
import { getState, useAppState, type Lang } from '../state'

export type MessageKey = keyof typeof zh
const messages: Record<Lang, Record<string, string>> = {
  zh: {
    ...zh,
    ...handoffZh,
    ...incidentsZh,
    ...donorsZh,
    ...regionZh,
    ...offlineZh,
    ...linkZh,
    ...hospitalsPlanZh,
    ...hospitalCoreZh,
    ...reportsZh,
    ...provinceAidZh,
    ...hospitalZh,
  },
  en: {
    ...en,
    ...handoffEn,
    ...incidentsEn,
    ...donorsEn,
    ...regionEn,
    ...offlineEn,
    ...linkEn,
    ...hospitalsPlanEn,
    ...hospitalCoreEn,
    ...reportsEn,
    ...provinceAidEn,
    ...hospitalEn,
  },
}
// the link's strings (issue 24), on lines of their own so that other locale pairs merge without a conflict here
Object.assign(messages.zh, linkZh)
Object.assign(messages.en, linkEn)

/** Translates a key in the current language; `{name}` placeholders are filled from vars. Unknown keys show as-is. */
export function t(key: MessageKey | string, vars: Record<string, string | number> = {}, lang: Lang = getState().lang): string {
  const text = messages[lang][key] ?? messages.zh[key] ?? key
  return text.replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`))
}

/** A `t` that re-renders the component when the language changes. */
export function useT(): typeof t {
  const { lang } = useAppState()
  return (key, vars = {}) => t(key, vars, lang)
}
