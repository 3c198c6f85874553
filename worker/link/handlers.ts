import { AID_HANDLERS } from './aid'
import { DONOR_HANDLERS } from './donors'
import type { LinkHandler } from './handler'
import { noticeHandler } from './notice'

export type { LinkHandler } from './handler'

/** kind → handler, every kind a province takes: notices, aid (worker/link/aid.ts), donors (worker/link/donors.ts). */
export const LINK_HANDLERS: Record<string, LinkHandler> = {
  'province.notice': noticeHandler as LinkHandler,
  ...AID_HANDLERS,
  ...DONOR_HANDLERS,
}
