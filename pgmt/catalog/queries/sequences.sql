-- Sequences, except those behind identity columns (part of the column).
SELECT c.oid AS objid,
       format('%I.%I', n.nspname, c.relname) AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start, s.seqincrement AS increment,
       s.seqmin AS min_value, s.seqmax AS max_value,
       s.seqcache AS cache, s.seqcycle AS cycle,
       c.relpersistence = 'u' AS unlogged,
       owner.table_oid AS owner_table_oid,
       owner.column_number AS owner_column_number,
       owner.table_name AS owner_table,
       owner.column_name AS owner_column
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT d.refobjid AS table_oid, d.refobjsubid AS column_number,
           format('%I.%I', tn.nspname, tc.relname) AS table_name,
           format('%I', a.attname) AS column_name
    FROM pg_depend d
    JOIN pg_class tc ON tc.oid = d.refobjid
    JOIN pg_namespace tn ON tn.oid = tc.relnamespace
    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
) owner ON true
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype IN ('i', 'e'))
ORDER BY name
