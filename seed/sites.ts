// The 23 demo sites, copied from data/sites-sichuan-chongqing.csv; city is the city or prefecture.
export type SeedSite = {
  id: string; nameEn: string; nameZh: string; kind: 'center' | 'station' | 'storage'
  province: 'Sichuan' | 'Chongqing'; city: string; lat: number; lng: number
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
