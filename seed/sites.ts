// The 23 demo sites, copied from data/sites-sichuan-chongqing.csv; city is the city or prefecture.
export type SeedSite = {
  id: string; nameEn: string; nameZh: string; kind: 'center' | 'station' | 'storage'
  province: 'Sichuan' | 'Chongqing'; city: string; lat: number; lng: number
  /** a storage point's station */
  parentId?: string
}

export const SEED_SITES: readonly SeedSite[] = [
  { id: 'CD', nameEn: 'Chengdu Blood Center', nameZh: '成都市血液中心', kind: 'center', province: 'Sichuan', city: 'Chengdu', lat: 30.657, lng: 104.066 },
  { id: 'SC', nameEn: 'Sichuan Provincial Blood Center', nameZh: '四川省血液中心', kind: 'center', province: 'Sichuan', city: 'Chengdu', lat: 30.640, lng: 104.043 },
  { id: 'CQ', nameEn: 'Chongqing Blood Center', nameZh: '重庆市血液中心', kind: 'center', province: 'Chongqing', city: 'Chongqing', lat: 29.563, lng: 106.551 },
  { id: 'ZG', nameEn: 'Zigong Central Blood Station', nameZh: '自贡市中心血站', kind: 'station', province: 'Sichuan', city: 'Zigong', lat: 29.339, lng: 104.779 },
  { id: 'PZH', nameEn: 'Panzhihua Central Blood Station', nameZh: '攀枝花市中心血站', kind: 'station', province: 'Sichuan', city: 'Panzhihua', lat: 26.582, lng: 101.718 },
  { id: 'LZ', nameEn: 'Luzhou Central Blood Station', nameZh: '泸州市中心血站', kind: 'station', province: 'Sichuan', city: 'Luzhou', lat: 28.871, lng: 105.443 },
  { id: 'DY', nameEn: 'Deyang Central Blood Station', nameZh: '德阳市中心血站', kind: 'station', province: 'Sichuan', city: 'Deyang', lat: 31.127, lng: 104.398 },
  { id: 'MY', nameEn: 'Mianyang Central Blood Station', nameZh: '绵阳市中心血站', kind: 'station', province: 'Sichuan', city: 'Mianyang', lat: 31.468, lng: 104.679 },
  { id: 'GY', nameEn: 'Guangyuan Central Blood Station', nameZh: '广元市中心血站', kind: 'station', province: 'Sichuan', city: 'Guangyuan', lat: 32.435, lng: 105.844 },
  { id: 'SN', nameEn: 'Suining Central Blood Station', nameZh: '遂宁市中心血站', kind: 'station', province: 'Sichuan', city: 'Suining', lat: 30.533, lng: 105.593 },
  { id: 'NJ', nameEn: 'Neijiang Central Blood Station', nameZh: '内江市中心血站', kind: 'station', province: 'Sichuan', city: 'Neijiang', lat: 29.580, lng: 105.058 },
  { id: 'LS', nameEn: 'Leshan Central Blood Station', nameZh: '乐山市中心血站', kind: 'station', province: 'Sichuan', city: 'Leshan', lat: 29.552, lng: 103.766 },
  { id: 'NC', nameEn: 'Nanchong Central Blood Station', nameZh: '南充市中心血站', kind: 'station', province: 'Sichuan', city: 'Nanchong', lat: 30.837, lng: 106.110 },
  { id: 'MS', nameEn: 'Meishan Central Blood Station', nameZh: '眉山市中心血站', kind: 'station', province: 'Sichuan', city: 'Meishan', lat: 30.075, lng: 103.848 },
  { id: 'YB', nameEn: 'Yibin Central Blood Station', nameZh: '宜宾市中心血站', kind: 'station', province: 'Sichuan', city: 'Yibin', lat: 28.752, lng: 104.643 },
  { id: 'GA', nameEn: 'Guang\'an Central Blood Station', nameZh: '广安市中心血站', kind: 'station', province: 'Sichuan', city: 'Guang\'an', lat: 30.456, lng: 106.633 },
  { id: 'DZ', nameEn: 'Dazhou Central Blood Station', nameZh: '达州市中心血站', kind: 'station', province: 'Sichuan', city: 'Dazhou', lat: 31.209, lng: 107.468 },
  { id: 'YA', nameEn: 'Ya\'an Central Blood Station', nameZh: '雅安市中心血站', kind: 'station', province: 'Sichuan', city: 'Ya\'an', lat: 29.980, lng: 103.013 },
  { id: 'BZ', nameEn: 'Bazhong Central Blood Station', nameZh: '巴中市中心血站', kind: 'station', province: 'Sichuan', city: 'Bazhong', lat: 31.867, lng: 106.747 },
  { id: 'ZY', nameEn: 'Ziyang Central Blood Station', nameZh: '资阳市中心血站', kind: 'station', province: 'Sichuan', city: 'Ziyang', lat: 30.129, lng: 104.627 },
  { id: 'AB', nameEn: 'Aba Prefecture Central Blood Station (Ma\'erkang)', nameZh: '阿坝州中心血站', kind: 'station', province: 'Sichuan', city: 'Aba', lat: 31.900, lng: 102.221 },
  { id: 'GZ', nameEn: 'Garze Prefecture Central Blood Station (Kangding)', nameZh: '甘孜州中心血站', kind: 'station', province: 'Sichuan', city: 'Garze', lat: 30.050, lng: 101.964 },
  { id: 'XC', nameEn: 'Liangshan Prefecture Central Blood Station (Xichang)', nameZh: '凉山州中心血站', kind: 'station', province: 'Sichuan', city: 'Liangshan', lat: 27.894, lng: 102.264 },
]

/**
 * Storage points (储血点) in county hospitals far from their station (the Weinan model), with the share of the
 * station's red-cell demand they serve. Coordinates are the county seats'.
 */
export const STORAGE_POINTS: readonly (SeedSite & { parentId: string; demandShare: number; hoursToStation: number; road: string })[] = [
  { id: 'YBXW', nameEn: 'Xingwen County People\'s Hospital storage point', nameZh: '兴文县人民医院储血点', kind: 'storage', province: 'Sichuan', city: 'Yibin', lat: 28.303, lng: 105.237, parentId: 'YB', demandShare: 0.06, hoursToStation: 1.8, road: 'G93 / S66 Yixu' },
  { id: 'GZLT', nameEn: 'Litang County People\'s Hospital storage point', nameZh: '理塘县人民医院储血点', kind: 'storage', province: 'Sichuan', city: 'Garze', lat: 29.996, lng: 100.269, parentId: 'GZ', demandShare: 0.12, hoursToStation: 5.0, road: 'G318 over Zheduo and Gaoersi passes (snow can close them)' },
  { id: 'GZSQ', nameEn: 'Shiqu County People\'s Hospital storage point', nameZh: '石渠县人民医院储血点', kind: 'storage', province: 'Sichuan', city: 'Garze', lat: 32.978, lng: 98.101, parentId: 'GZ', demandShare: 0.05, hoursToStation: 12.0, road: 'G317 / G215 via Ganzi (high passes, snow in winter)' },
  { id: 'XCML', nameEn: 'Muli County People\'s Hospital storage point', nameZh: '木里县人民医院储血点', kind: 'storage', province: 'Sichuan', city: 'Liangshan', lat: 27.929, lng: 101.280, parentId: 'XC', demandShare: 0.04, hoursToStation: 4.5, road: 'S216 mountain road' },
  { id: 'ABSP', nameEn: 'Songpan County People\'s Hospital storage point', nameZh: '松潘县人民医院储血点', kind: 'storage', province: 'Sichuan', city: 'Aba', lat: 32.655, lng: 103.604, parentId: 'AB', demandShare: 0.12, hoursToStation: 4.0, road: 'G347 / G213 via Heishui (passes close in snow)' },
]

/** Hospitals in each station's register (the largest by name; the rest of its ~100 hospitals as one entry). */
export const SEED_HOSPITALS: Readonly<Record<string, readonly string[]>> = {
  CD: ['四川大学华西医院', '成都市第一人民医院', '成都市第三人民医院'],
  SC: ['四川省人民医院', '四川省肿瘤医院'],
  CQ: ['重庆医科大学附属第一医院', '陆军军医大学第一附属医院（西南医院）', '重庆市人民医院'],
  ZG: ['自贡市第一人民医院'], PZH: ['攀枝花市中心医院'], LZ: ['西南医科大学附属医院'], DY: ['德阳市人民医院'], MY: ['绵阳市中心医院'],
  GY: ['广元市中心医院'], SN: ['遂宁市中心医院'], NJ: ['内江市第一人民医院'], LS: ['乐山市人民医院'], NC: ['川北医学院附属医院'],
  MS: ['眉山市人民医院'], YB: ['宜宾市第一人民医院', '宜宾市第二人民医院'], GA: ['广安市人民医院'], DZ: ['达州市中心医院'],
  YA: ['雅安市人民医院'], BZ: ['巴中市中心医院'], ZY: ['资阳市第一人民医院'], AB: ['阿坝州人民医院'], GZ: ['甘孜州人民医院'], XC: ['凉山州第一人民医院'],
}
