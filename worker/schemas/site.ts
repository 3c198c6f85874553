import { z } from '@hono/zod-openapi'
import { SiteId } from './common'

export const SiteKind = z
  .enum(['center', 'station', 'storage', 'hospital'])
  .openapi({ description: "blood center, central blood station, county storage point (储血点), or a hospital's blood bank (输血科)" })
/** Sites made here: a hospital's site is made from the station's register (POST /api/network/{site}/hospitals). */
const CreatableKind = z.enum(['center', 'station', 'storage'])

export const Site = z
  .object({
    id: SiteId,
    nameZh: z.string().openapi({ example: '成都市血液中心' }),
    nameEn: z.string().openapi({ example: 'Chengdu Blood Center' }),
    kind: SiteKind,
    province: z.string().openapi({ example: 'Sichuan' }),
    city: z.string().openapi({ example: 'Chengdu' }),
    lat: z.number(),
    lng: z.number(),
    parentId: z.string().nullable().openapi({ description: 'a storage point or hospital: the station it belongs to; null for stations and centres' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Site')

export const SiteCreate = z
  .object({
    id: SiteId,
    nameZh: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    kind: CreatableKind,
    province: z.string().trim().min(1).max(50),
    city: z.string().trim().min(1).max(50),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    parentId: SiteId.optional().openapi({ description: 'required for a storage point (储血点): the station it belongs to' }),
  })
  .strict()
  .openapi('SiteCreate')

export const SitePatch = SiteCreate.omit({ id: true })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'Send at least one field to change' })
  .openapi('SitePatch')

export const SiteQuery = z.object({
  province: z.string().optional(),
  kind: SiteKind.optional().openapi({ description: 'hospitals are listed only with kind=hospital' }),
  parent: SiteId.optional().openapi({ description: "the station's storage points or hospitals" }),
})

export type SiteT = z.infer<typeof Site>
export type SiteCreateT = z.infer<typeof SiteCreate>
export type SitePatchT = z.infer<typeof SitePatch>
