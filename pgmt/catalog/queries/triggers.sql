-- Triggers written by the user: not internal (FK machinery), not cloned onto a
-- partition from its parent.
SELECT t.oid AS objid,
       format('%I.%I', n.nspname, c.relname) AS table_name,
       format('%I', t.tgname) AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled::text AS enabled
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT t.tgisinternal AND t.tgparentid = 0
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY n.nspname, c.relname, t.tgname
