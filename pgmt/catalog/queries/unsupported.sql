-- User objects of kinds the engine does not understand yet. They are reported,
-- never skipped in silence.
WITH user_ns AS (
    SELECT oid FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
),
members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
-- Per-column options of a foreign table (`col type OPTIONS (…)`) are not read yet.
SELECT 'foreign table column options' AS kind,
       format('%s.%I', a.attrelid::regclass, a.attname) AS name
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relkind = 'f' AND a.attfdwoptions IS NOT NULL AND NOT a.attisdropped
  AND ('pg_class'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'base type', format('%I.%I', n.nspname, t.typname)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'p') AND t.typnamespace IN (SELECT oid FROM user_ns)
  AND t.typelem = 0 AND NOT (t.typcategory = 'A')
  AND ('pg_type'::regclass, t.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'typed table', c.oid::regclass::text FROM pg_class c
WHERE c.reloftype <> 0 AND c.relnamespace IN (SELECT oid FROM user_ns)
ORDER BY 1, 2
