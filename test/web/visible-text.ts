import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * What a reader sees that is not in their language. In the Chinese UI: English words (a capitalised or lower-case
 * Latin word of two letters or more, or a lone lower-case letter such as the "h" of "2.2 h"). Codes are not words:
 * station codes and ids (CD, req_demo_01, tr_…), blood groups, antigens (Fy(a-)), units (U, mL, °C), standards
 * (GB 18467-2011), and the few proper names listed. In either language: raw i18n keys (field.name, sim.m.shortage).
 */
const LOCALES = path.resolve(import.meta.dirname, '../../web/src/locales')
const KEYS = new Set(
  readdirSync(LOCALES)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => Object.keys(JSON.parse(readFileSync(path.join(LOCALES, f), 'utf8')))),
)
const PREFIXES = new Set([...KEYS].map((k) => k.split('.')[0]))
/** Latin words the Chinese UI may show: blood groups, RhD, units (U, mL, km), the language toggle, the map's credit line. */
const ALLOWED = new Set(['O', 'A', 'B', 'AB', 'RhD', 'U', 'mL', 'km', 'English', 'Leaflet', 'OpenStreetMap', 'CSV', 'ABO'])

export function rawKeys(text: string): string[] {
  return [...text.matchAll(/\b([a-z][A-Za-z]*)\.[A-Za-z_]+(?:\.[A-Za-z_0-9]+)*\b/g)].filter((m) => PREFIXES.has(m[1])).map((m) => m[0])
}

export function englishWords(text: string): string[] {
  const stripped = text
    .replace(/[A-Z][a-z]{0,2}\((?:[ab][+-])+\)/g, ' ') // antigens: Fy(a-), Jk(a-b-)
    .replace(/°C/g, ' ')
    .replace(/\b[\w-]*(?:\d|_)[\w-]*\b/g, ' ') // ids and codes with digits or underscores: req_demo_01, CD-R0008, 川A·12345
  return (stripped.match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED.has(w) && !/^[A-Z]+$/.test(w))
}
