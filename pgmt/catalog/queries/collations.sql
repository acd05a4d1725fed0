-- Collations; the columns that differ across server versions (colliculocale in 15
-- and 16, colllocale from 17, collicurules from 16) are read through to_jsonb.
SELECT c.oid AS objid,
       format('%I.%I', n.nspname, c.collname) AS name,
       CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'libc' END AS provider,
       coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale') AS locale,
       CASE WHEN c.collprovider = 'c' THEN c.collcollate END AS lc_collate,
       CASE WHEN c.collprovider = 'c' THEN c.collctype END AS lc_ctype,
       c.collisdeterministic AS deterministic,
       to_jsonb(c) ->> 'collicurules' AS rules
FROM pg_collation c
JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_collation'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY name
