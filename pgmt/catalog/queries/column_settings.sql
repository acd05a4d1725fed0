-- A table's own columns whose statistics target, storage or compression was set with
-- ALTER TABLE … ALTER COLUMN: only what differs from PostgreSQL's default. A column a
-- partition or child inherits follows its parent's (ALTER TABLE recurses), so only the
-- parent's is read.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name,
       format('%I', a.attname) AS name,
       NULLIF(a.attstattarget, -1)::int AS statistics,
       CASE WHEN a.attstorage <> t.typstorage THEN
           CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
                WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END AS storage,
       CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
            WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END AS type_storage,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attinhcount = 0
  AND (NULLIF(a.attstattarget, -1) IS NOT NULL  -- -1 until PostgreSQL 17, then NULL
       OR a.attstorage <> t.typstorage OR a.attcompression <> '')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                  AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY 1, 2
