-- Schemas the user owns: not PostgreSQL's own, not an extension's.
SELECT n.oid AS objid,
       format('%I', n.nspname) AS name
FROM pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_namespace'::regclass
                       AND e.objid = n.oid AND e.deptype = 'e'))
ORDER BY 2
