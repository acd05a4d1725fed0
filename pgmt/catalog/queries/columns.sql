-- Columns of tables and foreign tables, with their settings; a partition's columns and a child
-- table's inherited ones are marked, as they come and go with the parent's. A child's own
-- column merged with a parent's (attislocal too) counts as inherited: no statement can unmerge
-- it, and it only differs from an inherited one in surviving a DROP COLUMN on the parent,
-- which pgmt never relies on.
-- The column and its default are named as dependencies.sql names objects, packed into one
-- int8 as reader.oid_ref packs (catalog, oid, sub-id): ten thousand fewer calls to it. The
-- table comes as its oid, which relations.sql has named: not ten thousand more format()s.
-- Not sorted: pg_attribute's rows come by table in creation order, which is most often
-- the order of the objects' keys (see reader._Builder.finished); sorting ten thousand rows
-- costs the server more than it would save (the order only matters for speed).
SELECT ('pg_class'::regclass::oid::int8 << 48) | (c.oid::int8 << 16) | a.attnum AS ref,
       a.attnum AS position,
       a.attinhcount > 0 AS inherited,
       c.oid AS table_oid,
       quote_ident(a.attname) AS name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       a.attnotnull AS not_null,
       CASE WHEN a.attcollation <> t.typcollation
            THEN format('%I.%I', con.nspname, co.collname) END AS collation,
       -- As text: read in binary, an unset "char" would be '\0' rather than ''.
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       ('pg_attrdef'::regclass::oid::int8 << 48) | (ad.oid::int8 << 16) AS default_ref,
       -- Only a generated column's expression can name columns; deparsing a default against
       -- its table would open every table in the database, for nothing.
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END)
           AS default_expr,
       -- What ALTER COLUMN … SET STATISTICS / STORAGE / COMPRESSION changed from the defaults,
       -- with the storage to go back to (type_storage, only then). Not for an inherited
       -- column: it follows its parent's (ALTER TABLE recurses).
       CASE WHEN a.attinhcount = 0 THEN NULLIF(a.attstattarget, -1)::int END AS statistics,
       CASE WHEN a.attinhcount = 0 AND a.attstorage <> t.typstorage THEN
           CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
                WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END AS storage,
       CASE WHEN a.attinhcount = 0 AND (NULLIF(a.attstattarget, -1) IS NOT NULL  -- -1 until 17
                                        OR a.attstorage <> t.typstorage
                                        OR a.attcompression <> '') THEN
           CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
                WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END AS type_storage,
       CASE WHEN a.attinhcount = 0 THEN
           CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END END AS compression,
       -- An identity's sequence options: start, increment, min, max, cache, cycle (0/1).
       -- Looked up row by row, for identity columns only: as a join, the planner hashed
       -- pg_attribute's rows and sent them in no order at all.
       CASE WHEN a.attidentity <> '' THEN
           (SELECT ARRAY[s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
                         s.seqcycle::int]
            FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
              AND d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.deptype = 'i')
       END AS identity_options,
       -- The column's grants (a column has no default ACL, so each is a grant beyond it):
       -- [grantee, privilege, 't' if grantable]. Here rather than in privileges.sql, which
       -- would scan pg_attribute again for the few columns that have any.
       CASE WHEN a.attacl IS NOT NULL THEN
           (SELECT array_agg(ARRAY[CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                        ELSE format('%I', pg_get_userbyid(g.grantee)) END,
                                   g.privilege_type, g.is_grantable::text])
            FROM aclexplode(a.attacl) g)
       END AS grants
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND c.relkind IN ('r', 'p', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
