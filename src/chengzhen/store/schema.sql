-- The chengzhen database, declared once.
--
-- store/schema.py reads this file: the build runs it, the table list and the
-- schema hash that refuses a database of another schema are derived from it,
-- and tests/test_docs.py checks that docs/schema.md describes every table and
-- column declared here.
--
-- Every per-plan table carries plan_id, so one plan's rows can be replaced
-- alone (incremental builds, store/build.py).  The vocabularies (topics,
-- departments, indicators) and the corpus statistics (vocab) are global.

-- ---------------------------------------------------------------- bookkeeping

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT
);

-- every input file as of the last build: a query compares sizes and
-- modification times; a build re-reads only the files that changed
CREATE TABLE inputs (
  path TEXT PRIMARY KEY,      -- relative to the data directory
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  sha256 TEXT NOT NULL
);

-- ---------------------------------------------------------------- per plan

CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,       -- position in the listing (plans.yaml's order, then by id)
  key INTEGER NOT NULL UNIQUE, -- a number derived from the id alone: the plan's block of docs rowids
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  region TEXT NOT NULL,
  level TEXT NOT NULL,
  issuer TEXT,
  doc_number TEXT,
  issue_date TEXT,
  period_start INTEGER,
  period_end INTEGER,
  parent TEXT,
  source TEXT NOT NULL,
  seed TEXT,
  script TEXT NOT NULL,
  completeness TEXT,
  url TEXT,                   -- the official text's address
  accessed TEXT,              -- the day someone read the page at url (YYYY-MM-DD)
  supplied TEXT,              -- JSON {field: reason}: the catalogue fields the editors supplied (null: none)
  name_as_written INTEGER NOT NULL,
  abridged INTEGER NOT NULL,  -- 1: the source says it is abridged (本文有删减)
  n_lines INTEGER NOT NULL,
  input_hash TEXT NOT NULL    -- SHA-256 of the plan's YAML (its catalogue entry and body) and its source
);

-- the recorded repairs of damaged source text, as the build read them: a
-- citation quotes the source as it is written, with these repairs named
CREATE TABLE repairs (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  position INTEGER NOT NULL,  -- in the plan's repairs list
  line INTEGER NOT NULL,      -- source line
  source TEXT NOT NULL,       -- the damaged text as written
  repaired TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (plan_id, position)
);

CREATE TABLE sections (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans(id),
  parent_id TEXT,
  number TEXT,
  title TEXT NOT NULL,
  line INTEGER NOT NULL,
  restored INTEGER NOT NULL,
  retrospective INTEGER NOT NULL, -- 1: reviews past achievements or the situation (and so do its subsections)
  note TEXT,                  -- an editor's note
  depth INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  path TEXT NOT NULL          -- the headings down to it, titles joined by › (what a hit in it shows), once per section
);

CREATE TABLE measures (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans(id),
  section_id TEXT,
  kind TEXT NOT NULL,
  number TEXT,
  title TEXT,
  text TEXT NOT NULL,
  line INTEGER NOT NULL,
  line_end INTEGER NOT NULL,
  departments_quote TEXT,
  note TEXT,
  cuts BLOB NOT NULL,         -- where the segmenter cuts title。text, one bit per character (text/segment.py)
  ord INTEGER NOT NULL
);

CREATE TABLE targets (
  id TEXT PRIMARY KEY,        -- <measure id>:t<n>, n counting the measure's targets from 1
  measure_id TEXT NOT NULL REFERENCES measures(id),
  plan_id TEXT NOT NULL REFERENCES plans(id),
  indicator TEXT NOT NULL,
  value REAL,
  value_max REAL,
  unit TEXT,
  as_written TEXT NOT NULL,
  qualifier TEXT,
  comparator TEXT NOT NULL,
  basis TEXT NOT NULL,
  year INTEGER,
  year_implied INTEGER NOT NULL,
  baseline REAL,
  baseline_as_written TEXT,
  baseline_year INTEGER,
  cumulative INTEGER NOT NULL,
  quote TEXT NOT NULL,
  line INTEGER NOT NULL,
  note TEXT,
  scope TEXT,
  aspiration TEXT,            -- 力争 / 争取 / 努力 … as written; null: a firm target
  kind TEXT NOT NULL,         -- target | commitment (no number, no year stated or governed)
  group_id TEXT NOT NULL,     -- the first of the plan's targets restating the same commitment
  ord INTEGER NOT NULL
);

-- ``doc`` in the three tables below is the measure's docs rowid: a search
-- naming a topic, task or department reads that entity's units from the
-- (name, doc) index alone and counts them against the full-text hits
CREATE TABLE measure_topics (
  measure_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  position INTEGER NOT NULL,
  doc INTEGER NOT NULL,       -- docs.rowid of the measure
  PRIMARY KEY (measure_id, topic)
) WITHOUT ROWID;

CREATE TABLE measure_tasks (
  measure_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  task_id TEXT NOT NULL,      -- national_tasks.id (or a national group's id)
  position INTEGER NOT NULL,
  doc INTEGER NOT NULL,       -- docs.rowid of the measure
  PRIMARY KEY (measure_id, task_id)
) WITHOUT ROWID;

CREATE TABLE measure_departments (
  measure_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  department TEXT NOT NULL,   -- canonical name
  as_written TEXT NOT NULL,
  position INTEGER NOT NULL,  -- 0 = listed first
  lead INTEGER NOT NULL,      -- 1 only where the source writes 牵头 for it
  all_tasks INTEGER NOT NULL,
  doc INTEGER NOT NULL,       -- docs.rowid of the measure
  PRIMARY KEY (measure_id, department)
) WITHOUT ROWID;

-- one row per annex: its title and its headings as the source writes them
-- (the title lines, 附件, a total such as (共50个), each group's heading line)
CREATE TABLE annexes (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans(id),
  title TEXT NOT NULL,
  line INTEGER NOT NULL,
  line_end INTEGER NOT NULL,
  heading TEXT NOT NULL       -- the heading lines, one per line (store/rows.py source_text)
);

CREATE TABLE annex_rows (
  plan_id TEXT NOT NULL,
  annex_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  annex_title TEXT NOT NULL,
  group_name TEXT,
  count_as_written TEXT,
  number TEXT,
  name TEXT NOT NULL,
  line INTEGER NOT NULL,
  annex_note TEXT,            -- the editors' notes on the annex and on the group
  group_note TEXT,
  PRIMARY KEY (annex_id, seq)
);

-- what the search index holds, one row per indexed unit; rowid =
-- kind block | plan key | sequence (store/rows.py), so a query walks one
-- kind at a time in ranking order and one plan's rows are one range (no
-- index on plan_id or ref: the build reaches a plan's rows through its
-- rowid ranges, and a search naming a topic, department or task reaches its
-- measures through measure_topics.doc …)
CREATE TABLE docs (
  rowid INTEGER PRIMARY KEY,
  -- measure | section | annex | title | target: read from the rowid's kind
  -- bits (store/kinds.py KINDS, in that order), not stored
  kind TEXT NOT NULL GENERATED ALWAYS AS (CASE rowid >> 53 WHEN 0 THEN 'measure' WHEN 1 THEN 'section'
    WHEN 2 THEN 'annex' WHEN 3 THEN 'title' WHEN 4 THEN 'target' END) VIRTUAL,
  ref TEXT NOT NULL,          -- the measure, section, annex or (title) plan id
  item TEXT,                  -- the target id (target) or annex row seq (annex; null: the annex's headings)
  plan_id TEXT NOT NULL,
  number TEXT,
  title TEXT NOT NULL,
  line INTEGER
);

-- body first: FTS5 writes no column marker for hits in the first column, so
-- with the long texts there the index is a quarter smaller (bm25 weights
-- follow this order: bm25(docs_fts, 1.0, 4.0) weights the title 4×).
-- The rows hold tokens separated by spaces (text/tokens.py: a character,
-- or a number whole: 2.8, -2; ~ for a range mark, % after a number); the
-- tokenizer keeps . ~ % ‰ + - inside a token, where only those put them
CREATE VIRTUAL TABLE docs_fts USING fts5(
  body, title, content='', tokenize="unicode61 remove_diacritics 0 tokenchars '.~%‰+-'"
);

-- ---------------------------------------------------------------- vocabularies

CREATE TABLE topics (
  name TEXT PRIMARY KEY,
  parent TEXT,
  ord INTEGER NOT NULL
);

CREATE TABLE topic_names (
  name TEXT PRIMARY KEY,      -- a topic name or synonym
  topic TEXT NOT NULL
);

CREATE TABLE departments (
  name TEXT PRIMARY KEY,
  level TEXT
);

CREATE TABLE department_names (
  name TEXT PRIMARY KEY,      -- a department name or alias
  department TEXT NOT NULL
);

CREATE TABLE indicators (
  name TEXT PRIMARY KEY,
  unit TEXT
);

CREATE TABLE indicator_names (
  name TEXT PRIMARY KEY,      -- an indicator name or alias
  indicator TEXT NOT NULL
);

-- the national plan the provincial plans implement (data/national.yaml):
-- structure only, its titles are provincial restatements
CREATE TABLE national_groups (
  id TEXT PRIMARY KEY,        -- national/1
  kind TEXT NOT NULL,         -- action | policy | organisation
  number TEXT,
  title TEXT NOT NULL,
  evidence TEXT,              -- the provincial unit that writes the title
  note TEXT,
  ord INTEGER NOT NULL
);

CREATE TABLE national_tasks (
  id TEXT PRIMARY KEY,        -- national/1.4
  group_id TEXT NOT NULL REFERENCES national_groups(id),
  number TEXT,
  title TEXT NOT NULL,
  evidence TEXT,
  keywords TEXT NOT NULL,     -- space-separated words that typically mark the task
  note TEXT,
  ord INTEGER NOT NULL
);

-- ---------------------------------------------------------------- corpus statistics

-- words of the corpus and of the vocabularies: "did you mean", pinyin input,
-- segmentation by the index's words, and the IDF weights of compare
CREATE TABLE vocab (
  word TEXT PRIMARY KEY,
  freq INTEGER NOT NULL,
  df INTEGER NOT NULL,        -- measures containing it
  pinyin TEXT,
  initials TEXT
);

-- traditional -> simplified, one character each: queries fold traditional
-- input without loading OpenCC
CREATE TABLE t2s (
  trad TEXT PRIMARY KEY,
  simp TEXT NOT NULL
);

-- ---------------------------------------------------------------- indexes

CREATE INDEX idx_plans_short_name ON plans(short_name);
CREATE INDEX idx_plans_region ON plans(region);
CREATE INDEX idx_sections_plan ON sections(plan_id, ord);
CREATE INDEX idx_measures_plan ON measures(plan_id, ord);
CREATE INDEX idx_measures_section ON measures(section_id);
CREATE INDEX idx_targets_year ON targets(year);
CREATE INDEX idx_targets_plan ON targets(plan_id);
CREATE INDEX idx_targets_indicator ON targets(indicator);
CREATE INDEX idx_targets_measure ON targets(measure_id);
CREATE INDEX idx_measure_topics_topic ON measure_topics(topic, doc);
CREATE INDEX idx_measure_tasks_task ON measure_tasks(task_id, doc);
CREATE INDEX idx_targets_group ON targets(group_id);
CREATE INDEX idx_measure_departments_department ON measure_departments(department, doc);
CREATE INDEX idx_measure_departments_plan ON measure_departments(plan_id);
-- the few assignments by a plan-wide note: a search naming a department
-- tells them (related) from the measures its own clause names (hits)
CREATE INDEX idx_measure_departments_plan_wide ON measure_departments(department, doc) WHERE all_tasks = 1;
CREATE INDEX idx_annex_rows_plan ON annex_rows(plan_id);
CREATE INDEX idx_annexes_plan ON annexes(plan_id);
CREATE INDEX idx_vocab_pinyin ON vocab(pinyin);
CREATE INDEX idx_vocab_initials ON vocab(initials);

-- ---------------------------------------------------------------- places and statistics
-- (store/geo.py; docs/places.md, docs/progress.md)

-- the place vocabulary (data/places.tsv, data/places.yaml): global; a change
-- to it rebuilds every plan (each target's scope is read with it)
CREATE TABLE places (
  code TEXT PRIMARY KEY,      -- GB/T 2260, six digits (000000: 全国)
  name TEXT NOT NULL,
  short TEXT NOT NULL,
  level TEXT NOT NULL,        -- national | province | city | county
  kind TEXT NOT NULL,         -- 省, 地级市, 市辖区, 县 …
  parent TEXT                 -- the code of the place it lies in
);

-- every name a place, zone or named group goes by: full and short names,
-- aliases, one-character abbreviations (黔)
CREATE TABLE place_names (
  name TEXT NOT NULL,
  ref TEXT NOT NULL,          -- a place code, a zone's name or a group's id
  kind TEXT NOT NULL,         -- place | zone | group
  PRIMARY KEY (name, ref)
);

-- a named group's members as a source lists them (data/places.yaml groups:
-- members): a place code or a zone's name each; a group whose membership no
-- source gives (members: null) has no rows, and nothing is decided inside it
CREATE TABLE place_members (
  group_id TEXT NOT NULL,
  member TEXT NOT NULL,
  kind TEXT NOT NULL,         -- place | zone
  PRIMARY KEY (group_id, member)
) WITHOUT ROWID;

-- per plan: the place its region names, and where each of its targets is
-- set (the scope as the place vocabulary reads it: kb/places.py read_scope)
CREATE TABLE plan_places (
  plan_id TEXT PRIMARY KEY,
  place TEXT                  -- null: the region names no place, or several (cz validate: E176)
);

CREATE TABLE target_places (
  target_id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL,
  places TEXT NOT NULL,       -- the divisions the scope names, codes space-separated (a target without a scope: its plan's place)
  zones TEXT,                 -- zones it names (开发区, 园区 …), separated by 、
  groups TEXT,                -- named groups (黔中城市群 …), ids separated by 、
  part TEXT,                  -- a part of each place (城区, 县城 …)
  place_class TEXT,           -- a class of places within the region (乡村 …)
  unresolved TEXT,            -- what names nothing known (cz validate: E177)
  whole INTEGER NOT NULL,     -- 1: the scope is whole divisions, so a division's statistic can measure it
  anchors TEXT NOT NULL       -- the divisions it lies in: its places, its zones' places, its listed groups' members'
) WITHOUT ROWID;

-- realized values (data/statistics/<place code>.yaml), each with the
-- publication it was read in; rows per file: a changed file replaces only
-- its own rows
CREATE TABLE statistic_sources (
  file TEXT NOT NULL,         -- statistics/<code>.yaml
  id TEXT NOT NULL,           -- unique in its file
  place TEXT NOT NULL,
  publisher TEXT NOT NULL,
  title TEXT NOT NULL,
  published TEXT,             -- as the document states: YYYY, YYYY-MM or YYYY-MM-DD
  url TEXT NOT NULL,
  page TEXT NOT NULL,         -- official | repost | secondary
  page_date TEXT,             -- the page's own date, where it shows one
  known_by INTEGER,           -- the year by which it was out: published, else page_date (null: unknown)
  note TEXT,
  PRIMARY KEY (file, id)
);

CREATE TABLE statistics (
  id TEXT PRIMARY KEY,        -- <place>/<source id>/<indicator>/<year>[/<as_of>]
  file TEXT NOT NULL,
  ord INTEGER NOT NULL,       -- its place in the file
  place TEXT NOT NULL,
  indicator TEXT NOT NULL,
  year INTEGER NOT NULL,
  as_of TEXT,                 -- a date other than the year's end (a census: 2020-11-01)
  value REAL NOT NULL,        -- as the publication writes it, in ``unit``
  unit TEXT,
  indicator_value REAL NOT NULL, -- the same in the indicator's unit (8.43 万个 -> 84300 个)
  as_written TEXT NOT NULL,
  locator TEXT NOT NULL,      -- the table or sentence it is in
  source_id TEXT NOT NULL,    -- statistic_sources.id in the same file
  use INTEGER,                -- 1: where publications disagree, the one used (null: not marked)
  used INTEGER NOT NULL,      -- 1: the figure the series takes for its place, indicator and year
  jump TEXT,                  -- why a large move from the year before is real
  line INTEGER NOT NULL       -- its line in the file
);

CREATE INDEX idx_statistics_place ON statistics(place, indicator, year);
CREATE INDEX idx_statistics_indicator ON statistics(indicator);
CREATE INDEX idx_statistics_file ON statistics(file);
CREATE INDEX idx_statistic_sources_place ON statistic_sources(place);
