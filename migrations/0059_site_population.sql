-- The people each blood centre or station serves, for the donation rate per 1,000 people in the quarterly supply
-- analysis (issue 23, GET /api/reports/supply). Data, not code, each row with its source.
-- Figures: the prefecture's resident population at the 7th national census (2020), as in seed/volumes.ts and
-- docs/domain-facts.md ("Volumes"): remembered figures, to check against each prefecture's census bulletin.
-- Chengdu's 20.94 M is split 60 / 40 between the city's centre (CD) and the provincial centre (SC): an assumption.
-- Keyed by the site's id without a foreign key: this reference data is loaded before the sites are (the seed or an
-- admin adds those), and a station with no row here has no rate (the report says so).
CREATE TABLE site_population (
  site_id    TEXT PRIMARY KEY CHECK (site_id GLOB '[A-Z0-9]*' AND length(site_id) BETWEEN 2 AND 12),
  people     INTEGER NOT NULL CHECK (people > 0),
  year       INTEGER NOT NULL CHECK (year BETWEEN 1950 AND 2100),
  source     TEXT NOT NULL CHECK (length(source) > 0),
  source_zh  TEXT NOT NULL CHECK (length(source_zh) > 0)
);

INSERT INTO site_population (site_id, people, year, source, source_zh) VALUES
  ('CD', 12564000, 2020, '7th national census 2020, Chengdu 20.94 M residents × 60 % (city centre''s share, an assumption)', '第七次全国人口普查（2020），成都市常住人口 2094 万 × 60%（市中心之份，假设）'),
  ('SC',  8376000, 2020, '7th national census 2020, Chengdu 20.94 M residents × 40 % (provincial centre''s share, an assumption)', '第七次全国人口普查（2020），成都市常住人口 2094 万 × 40%（省中心之份，假设）'),
  ('CQ', 32050000, 2020, '7th national census 2020, Chongqing municipality residents', '第七次全国人口普查（2020），重庆市常住人口'),
  ('ZG',  2490000, 2020, '7th national census 2020, Zigong prefecture residents', '第七次全国人口普查（2020），自贡市常住人口'),
  ('PZH', 1210000, 2020, '7th national census 2020, Panzhihua prefecture residents', '第七次全国人口普查（2020），攀枝花市常住人口'),
  ('LZ',  4250000, 2020, '7th national census 2020, Luzhou prefecture residents', '第七次全国人口普查（2020），泸州市常住人口'),
  ('DY',  3460000, 2020, '7th national census 2020, Deyang prefecture residents', '第七次全国人口普查（2020），德阳市常住人口'),
  ('MY',  4870000, 2020, '7th national census 2020, Mianyang prefecture residents', '第七次全国人口普查（2020），绵阳市常住人口'),
  ('GY',  2310000, 2020, '7th national census 2020, Guangyuan prefecture residents', '第七次全国人口普查（2020），广元市常住人口'),
  ('SN',  2810000, 2020, '7th national census 2020, Suining prefecture residents', '第七次全国人口普查（2020），遂宁市常住人口'),
  ('NJ',  3140000, 2020, '7th national census 2020, Neijiang prefecture residents', '第七次全国人口普查（2020），内江市常住人口'),
  ('LS',  3160000, 2020, '7th national census 2020, Leshan prefecture residents', '第七次全国人口普查（2020），乐山市常住人口'),
  ('NC',  5610000, 2020, '7th national census 2020, Nanchong prefecture residents', '第七次全国人口普查（2020），南充市常住人口'),
  ('MS',  2960000, 2020, '7th national census 2020, Meishan prefecture residents', '第七次全国人口普查（2020），眉山市常住人口'),
  ('YB',  4590000, 2020, '7th national census 2020, Yibin prefecture residents', '第七次全国人口普查（2020），宜宾市常住人口'),
  ('GA',  3250000, 2020, '7th national census 2020, Guang''an prefecture residents', '第七次全国人口普查（2020），广安市常住人口'),
  ('DZ',  5390000, 2020, '7th national census 2020, Dazhou prefecture residents', '第七次全国人口普查（2020），达州市常住人口'),
  ('YA',  1430000, 2020, '7th national census 2020, Ya''an prefecture residents', '第七次全国人口普查（2020），雅安市常住人口'),
  ('BZ',  2710000, 2020, '7th national census 2020, Bazhong prefecture residents', '第七次全国人口普查（2020），巴中市常住人口'),
  ('ZY',  2310000, 2020, '7th national census 2020, Ziyang prefecture residents', '第七次全国人口普查（2020），资阳市常住人口'),
  ('AB',   820000, 2020, '7th national census 2020, Aba (Ngawa) prefecture residents', '第七次全国人口普查（2020），阿坝州常住人口'),
  ('GZ',  1110000, 2020, '7th national census 2020, Garze prefecture residents', '第七次全国人口普查（2020），甘孜州常住人口'),
  ('XC',  4860000, 2020, '7th national census 2020, Liangshan prefecture residents (station at Xichang)', '第七次全国人口普查（2020），凉山州常住人口（血站在西昌）');
