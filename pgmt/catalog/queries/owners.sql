-- Owners of user objects that are not the role pgmt connects as. A shadow
-- database is built by that role, so only these need `ALTER … OWNER TO`.
-- pg_database_owner (the public schema's owner since PostgreSQL 15) is the default
-- of every new database, so it is no owner to restore either.
WITH owned AS (
    SELECT 'pg_namespace'::regclass::oid AS classid, n.oid AS objid, n.nspowner AS owner
    FROM pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_class'::regclass::oid, c.oid, c.relowner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
      -- an owned sequence follows its table (ALTER TABLE … OWNER)
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                      AND d.refclassid = 'pg_class'::regclass AND c.relkind = 'S')
    UNION ALL
    SELECT 'pg_proc'::regclass::oid, p.oid, p.proowner
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_type'::regclass::oid, t.oid, t.typowner
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
      AND (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
    UNION ALL
    SELECT 'pg_operator'::regclass::oid, o.oid, o.oprowner
    FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_opfamily'::regclass::oid, f.oid, f.opfowner
    FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_opclass'::regclass::oid, c.oid, c.opcowner
    FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_collation'::regclass::oid, c.oid, c.collowner
    FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_event_trigger'::regclass::oid, e.oid, e.evtowner FROM pg_event_trigger e
    UNION ALL
    SELECT 'pg_foreign_data_wrapper'::regclass::oid, w.oid, w.fdwowner FROM pg_foreign_data_wrapper w
    UNION ALL
    SELECT 'pg_foreign_server'::regclass::oid, s.oid, s.srvowner FROM pg_foreign_server s
    UNION ALL
    SELECT 'pg_publication'::regclass::oid, p.oid, p.pubowner FROM pg_publication p
    UNION ALL
    SELECT 'pg_ts_dict'::regclass::oid, d.oid, d.dictowner
    FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_ts_config'::regclass::oid, c.oid, c.cfgowner
    FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'pg_statistic_ext'::regclass::oid, s.oid, s.stxowner
    FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
)
SELECT o.classid, o.objid, format('%I', pg_get_userbyid(o.owner)) AS role
FROM owned o
WHERE o.owner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
  AND pg_get_userbyid(o.owner) <> 'pg_database_owner'
  AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = o.classid AND e.objid = o.objid
                  AND e.deptype = 'e')
ORDER BY 1, 2
