-- The operators and support functions of operator classes and families: a class's
-- own depend on the class, the ones added to a family alone ("loose") on the family.
SELECT d.refclassid AS owner_classid, d.refobjid AS owner_objid,
       'pg_amop'::regclass::oid AS member_classid, o.oid AS member_objid,
       'OPERATOR' AS kind, o.amopstrategy::int AS number,
       format_type(o.amoplefttype, NULL) AS "left", format_type(o.amoprighttype, NULL) AS "right",
       (SELECT format('%I.%s', pn.nspname, p.oprname) FROM pg_operator p
        JOIN pg_namespace pn ON pn.oid = p.oprnamespace WHERE p.oid = o.amopopr) AS target,
       (SELECT format('%I.%I', sn.nspname, s.opfname) FROM pg_opfamily s
        JOIN pg_namespace sn ON sn.oid = s.opfnamespace WHERE s.oid = o.amopsortfamily) AS order_by
FROM pg_amop o
JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = o.oid
 AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)
 AND d.deptype IN ('i', 'a')
UNION ALL
SELECT d.refclassid, d.refobjid, 'pg_amproc'::regclass::oid, p.oid, 'FUNCTION', p.amprocnum::int,
       format_type(p.amproclefttype, NULL), format_type(p.amprocrighttype, NULL),
       p.amproc::regprocedure::text, NULL
FROM pg_amproc p
JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = p.oid
 AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)
 AND d.deptype IN ('i', 'a')
ORDER BY 1, 2, 5 DESC, 6, 7, 8
