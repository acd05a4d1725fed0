-- Privileges that differ from what PostgreSQL gives an object by default: each
-- grant beyond the default ACL, and each default privilege taken away. A view's columns'
-- grants come with the column's name: they are no objects of their own (see
-- reader.privileges). A table's columns' grants come with the columns (columns.sql).
WITH acls AS (
    SELECT 'pg_class'::regclass::oid AS classid, c.oid AS objid, 0 AS subid, c.relacl AS acl,
           acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner) AS base,
           NULL AS column_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    -- A view's or materialized view's columns (columns.sql reads tables' column grants).
    SELECT 'pg_class'::regclass::oid, c.oid, a.attnum, a.attacl, NULL::aclitem[],
           format('%I', a.attname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL (SELECT a.attnum, a.attname, a.attacl FROM pg_attribute a
                        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attacl IS NOT NULL
                        OFFSET 0) a  -- by each view's columns, not a scan of every column
    WHERE c.relkind IN ('v', 'm')
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_foreign_server'::regclass::oid, s.oid, 0, s.srvacl, acldefault('S', s.srvowner), NULL
    FROM pg_foreign_server s WHERE s.srvacl IS NOT NULL
    UNION ALL
    SELECT 'pg_foreign_data_wrapper'::regclass::oid, w.oid, 0, w.fdwacl, acldefault('F', w.fdwowner), NULL
    FROM pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL
    UNION ALL
    SELECT 'pg_proc'::regclass::oid, p.oid, 0, p.proacl, acldefault('f', p.proowner), NULL
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proacl IS NOT NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_namespace'::regclass::oid, n.oid, 0, n.nspacl, acldefault('n', n.nspowner), NULL
    FROM pg_namespace n
    WHERE n.nspacl IS NOT NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_type'::regclass::oid, t.oid, 0, t.typacl, acldefault('T', t.typowner), NULL
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typacl IS NOT NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
),
granted AS (
    SELECT a.classid, a.objid, a.subid, a.column_name, g.grantee, g.privilege_type, g.is_grantable,
           false AS revoked
    FROM acls a, aclexplode(a.acl) g
    WHERE NOT EXISTS (SELECT FROM aclexplode(a.base) b WHERE b.grantee = g.grantee
                      AND b.privilege_type = g.privilege_type AND b.is_grantable = g.is_grantable)
    UNION ALL
    SELECT a.classid, a.objid, a.subid, a.column_name, b.grantee, b.privilege_type, b.is_grantable, true
    FROM acls a, aclexplode(a.base) b
    WHERE NOT EXISTS (SELECT FROM aclexplode(a.acl) g WHERE g.grantee = b.grantee
                      AND g.privilege_type = b.privilege_type)
)
SELECT classid, objid, subid, column_name,
       CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE format('%I', pg_get_userbyid(grantee)) END AS grantee,
       privilege_type AS privilege, is_grantable AS grantable, revoked
FROM granted
ORDER BY classid, objid, subid, grantee, privilege
