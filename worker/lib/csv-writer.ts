// The one CSV writer for every export (papaparse does the quoting). The rule, also in README ("CSV"):
//  - a number is written as a number, so a negative delta stays -2 and reads back as a number;
//  - a text cell loses control characters (except tab, CR and LF) and bidirectional overrides and
//    isolates (a U+202E can make a spreadsheet show a cell other than what it holds);
//  - then a text cell a spreadsheet would read as a formula — starting with = + - @, a tab or a CR —
//    gets a leading ' (and quotes). A lone + or - (the rhd column) is no formula and stays as it is,
//    so exports import back; importers drop the ' again (unescapeCell).
import Papa from 'papaparse'

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the writer strips
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
const FORMULA_START = /^(?:[=@\t\r]|[+\-].)/s

export type CsvValue = string | number | null | undefined

/** A text cell without control or bidi characters (the formula escape is left to toCsv). */
export const cleanText = (v: string) => v.replace(CONTROL, '').replace(BIDI, '')

const cell = (v: CsvValue): string | number => (typeof v === 'number' ? v : cleanText(v ?? ''))

/** Rows → CSV with CRLF line ends and a final CRLF; `bom` for files meant for Excel. */
export function toCsv(fields: readonly string[], data: readonly (readonly CsvValue[])[], opts: { bom?: boolean } = {}): string {
  const text = Papa.unparse({ fields: [...fields], data: data.map((row) => row.map(cell)) }, { newline: '\r\n', escapeFormulae: FORMULA_START }) + '\r\n'
  return opts.bom ? '\uFEFF' + text : text
}

/** A cell read back from one of our exports: the ' that escaped a formula-like start is dropped. */
export const unescapeCell = (v: string) => v.replace(/^'(?=[=+\-@\t\r])/, '')
