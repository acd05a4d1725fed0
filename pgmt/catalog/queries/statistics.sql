-- Extended statistics objects.
SELECT s.oid AS objid,
       format('%I.%I', n.nspname, s.stxname) AS name,
       format('%I.%I', cn.nspname, c.relname) AS table_name,
       pg_get_statisticsobjdef(s.oid) AS definition,
       NULLIF(s.stxstattarget, -1)::int AS target
FROM pg_statistic_ext s
JOIN pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_class c ON c.oid = s.stxrelid
JOIN pg_namespace cn ON cn.oid = c.relnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY name
