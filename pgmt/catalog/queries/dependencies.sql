-- pg_depend between user objects. A view's dependencies are recorded on its
-- _RETURN rewrite rule; they are reported as the view's own (other rules are objects
-- of their own).
SELECT CASE WHEN r.rulename = '_RETURN' THEN 'pg_class'::regclass::oid
            ELSE d.classid END AS classid,
       CASE WHEN r.rulename = '_RETURN' THEN r.ev_class ELSE d.objid END AS objid,
       CASE WHEN r.rulename = '_RETURN' THEN 0 ELSE d.objsubid END AS subid,
       d.refclassid, d.refobjid, d.refobjsubid AS refsubid
FROM pg_depend d
LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
WHERE d.objid >= 16384 AND d.refobjid >= 16384 AND d.deptype IN ('n', 'a')
