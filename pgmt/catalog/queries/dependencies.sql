-- pg_depend between user objects. A view's dependencies are recorded on its
-- _RETURN rewrite rule; they are reported as the view's own (other rules are objects
-- of their own). Each side is packed into one int8, (catalog << 48) | (oid << 16) |
-- sub-id, as reader.oid_ref packs it: two numbers a row to send and look up, not six.
-- (Every operator here binds alike, left to right: hence the parentheses.)
SELECT CASE WHEN r.rulename = '_RETURN'
            THEN ('pg_class'::regclass::oid::int8 << 48) | (r.ev_class::int8 << 16)
            ELSE (d.classid::int8 << 48) | (d.objid::int8 << 16) | (d.objsubid & 65535)
       END AS depender,
       (d.refclassid::int8 << 48) | (d.refobjid::int8 << 16) | (d.refobjsubid & 65535)
           AS referenced
FROM pg_depend d
LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
WHERE d.objid >= 16384 AND d.refobjid >= 16384 AND d.deptype IN ('n', 'a')
  -- A default's tie to its own column: the column owns the default already (thousands).
  AND NOT (d.classid = 'pg_attrdef'::regclass AND d.deptype = 'a')
  -- A NOT NULL constraint's tie to its column (PostgreSQL 18 makes one per NOT NULL
  -- column): NOT NULL is a column property here, and its constraint no object (a third of
  -- the rows; the oids are hashed once).
  AND NOT (d.classid = 'pg_constraint'::regclass AND d.deptype = 'a'
           AND d.objid IN (SELECT oid FROM pg_constraint WHERE contype = 'n'))
