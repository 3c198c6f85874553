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
  source     TEXT NOT NULL CHECK (length(source) > 0)
);

INSERT INTO site_population (site_id, people, year, source) VALUES
  ('CD', 12564000, 2020, '7th national census 2020, Chengdu 20.94 M residents × 60 % (city centre''s share, an assumption)'),
  ('SC',  8376000, 2020, '7th national census 2020, Chengdu 20.94 M residents × 40 % (provincial centre''s share, an assumption)'),
  ('CQ', 32050000, 2020, '7th national census 2020, Chongqing municipality residents'),
  ('ZG',  2490000, 2020, '7th national census 2020, Zigong prefecture residents'),
  ('PZH', 1210000, 2020, '7th national census 2020, Panzhihua prefecture residents'),
  ('LZ',  4250000, 2020, '7th national census 2020, Luzhou prefecture residents'),
  ('DY',  3460000, 2020, '7th national census 2020, Deyang prefecture residents'),
  ('MY',  4870000, 2020, '7th national census 2020, Mianyang prefecture residents'),
  ('GY',  2310000, 2020, '7th national census 2020, Guangyuan prefecture residents'),
  ('SN',  2810000, 2020, '7th national census 2020, Suining prefecture residents'),
  ('NJ',  3140000, 2020, '7th national census 2020, Neijiang prefecture residents'),
  ('LS',  3160000, 2020, '7th national census 2020, Leshan prefecture residents'),
  ('NC',  5610000, 2020, '7th national census 2020, Nanchong prefecture residents'),
  ('MS',  2960000, 2020, '7th national census 2020, Meishan prefecture residents'),
  ('YB',  4590000, 2020, '7th national census 2020, Yibin prefecture residents'),
  ('GA',  3250000, 2020, '7th national census 2020, Guang''an prefecture residents'),
  ('DZ',  5390000, 2020, '7th national census 2020, Dazhou prefecture residents'),
  ('YA',  1430000, 2020, '7th national census 2020, Ya''an prefecture residents'),
  ('BZ',  2710000, 2020, '7th national census 2020, Bazhong prefecture residents'),
  ('ZY',  2310000, 2020, '7th national census 2020, Ziyang prefecture residents'),
  ('AB',   820000, 2020, '7th national census 2020, Aba (Ngawa) prefecture residents'),
  ('GZ',  1110000, 2020, '7th national census 2020, Garze prefecture residents'),
  ('XC',  4860000, 2020, '7th national census 2020, Liangshan prefecture residents (station at Xichang)');
