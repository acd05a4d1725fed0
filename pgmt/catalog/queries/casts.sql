-- Casts created by the user (not PostgreSQL's own, not an extension's).
SELECT c.oid AS objid,
       format_type(c.castsource, NULL) AS source,
       format_type(c.casttarget, NULL) AS target,
       CASE WHEN c.castfunc <> 0 THEN c.castfunc::regprocedure::text END AS function,
       c.castmethod::text AS method,
       c.castcontext::text AS context
FROM pg_cast c
WHERE c.oid >= 16384
  -- Not a range type's cast to its multirange type: made and dropped with the type.
  AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_cast'::regclass
                  AND i.objid = c.oid AND i.deptype = 'i')
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_cast'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY source, target
