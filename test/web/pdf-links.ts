/**
 * The links on each page of a PDF that Chromium printed (page.pdf): Skia writes every page and link annotation
 * as a plain, uncompressed object, so a page's `/Annots [n 0 R …]` and each annotation's `/Rect` and `/URI` can
 * be read without a PDF library. A link that wraps or is cut by a page break gives one annotation per piece.
 */
export type PdfLink = { page: number; uri: string; rect: [number, number, number, number] }

export function pdfLinks(pdf: Buffer): { pages: number; links: PdfLink[] } {
  const text = pdf.toString('latin1')
  const objects = new Map<number, string>()
  for (const m of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2])
  const pages = [...objects.entries()].filter(([, body]) => /\/Type\s*\/Page\b(?!s)/.test(body))
  // page order: the /Kids of the page tree
  const kids = [...objects.values()].map((b) => b.match(/\/Type\s*\/Pages\b[\s\S]*?\/Kids\s*\[([^\]]*)\]/)).find(Boolean)
  const order = kids ? [...kids[1].matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1])) : pages.map(([n]) => n)
  const links: PdfLink[] = []
  order.forEach((pageObj, i) => {
    const annots = objects.get(pageObj)?.match(/\/Annots\s*\[([^\]]*)\]/)
    for (const ref of annots ? [...annots[1].matchAll(/(\d+) 0 R/g)] : []) {
      const a = objects.get(Number(ref[1])) ?? ''
      const uri = a.match(/\/URI\s*\(([^)]*)\)/)
      const rect = a.match(/\/Rect\s*\[([^\]]*)\]/)
      if (uri && rect) links.push({ page: i + 1, uri: uri[1], rect: rect[1].trim().split(/\s+/).map(Number) as PdfLink['rect'] })
    }
  })
  return { pages: order.length, links }
}
