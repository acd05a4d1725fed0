-- ALTER DEFAULT PRIVILEGES: for a whole role the stored ACL replaces the built-in
-- default, so compare with it; in a schema it only adds.
WITH acls AS (
    SELECT format('%I', pg_get_userbyid(d.defaclrole)) AS role,
           CASE WHEN d.defaclnamespace <> 0 THEN format('%I', n.nspname) END AS schema,
           CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS'
                ELSE d.defaclobjtype::text END AS object_type,
           d.defaclacl AS acl,
           CASE WHEN d.defaclnamespace = 0
                THEN acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                                d.defaclrole)
                ELSE NULL::aclitem[] END AS base
    FROM pg_default_acl d
    LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
),
granted AS (
    SELECT a.role, a.schema, a.object_type, g.grantee, g.privilege_type, g.is_grantable,
           false AS revoked
    FROM acls a, aclexplode(a.acl) g
    WHERE NOT EXISTS (SELECT FROM aclexplode(a.base) b WHERE b.grantee = g.grantee
                      AND b.privilege_type = g.privilege_type AND b.is_grantable = g.is_grantable)
    UNION ALL
    SELECT a.role, a.schema, a.object_type, b.grantee, b.privilege_type, b.is_grantable, true
    FROM acls a, aclexplode(a.base) b
    WHERE NOT EXISTS (SELECT FROM aclexplode(a.acl) g WHERE g.grantee = b.grantee
                      AND g.privilege_type = b.privilege_type)
)
SELECT role, schema, object_type,
       CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE format('%I', pg_get_userbyid(grantee)) END AS grantee,
       privilege_type AS privilege, is_grantable AS grantable, revoked
FROM granted
ORDER BY 1, 2, 3, 4, 5
