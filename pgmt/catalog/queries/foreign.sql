-- Foreign data wrappers, servers, user mappings and foreign tables, one row each,
-- `kind` telling which. Options read as `name 'value'`; a value whose name looks
-- like a secret (/pass|secret|token|key/i) is replaced here by a placeholder, so
-- it never leaves the server. User mappings come from pg_user_mappings, which
-- shows their options only to the server's owner and superusers.
WITH members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
masked AS (
    SELECT o.oid, o.catalog,
           array(SELECT format('%I %s', t.option_name,
                               CASE WHEN t.option_name ~* 'pass|secret|token|key'
                                    THEN '''<secret: fill in>'''
                                    ELSE quote_literal(t.option_value) END)
                 FROM pg_options_to_table(o.options) t ORDER BY t.option_name) AS options
    FROM (SELECT oid, 'wrapper' AS catalog, fdwoptions AS options FROM pg_foreign_data_wrapper
          UNION ALL SELECT oid, 'server', srvoptions FROM pg_foreign_server
          UNION ALL SELECT umid, 'mapping', umoptions FROM pg_user_mappings
          UNION ALL SELECT ftrelid, 'table', ftoptions FROM pg_foreign_table) o
)
SELECT 'wrapper' AS kind, w.oid AS objid, format('%I', w.fdwname) AS name,
       NULLIF(w.fdwhandler, 0)::regproc::text AS handler,
       NULLIF(w.fdwvalidator, 0)::regproc::text AS validator,
       NULL AS server, NULL AS server_type, NULL AS version, NULL AS role, m.options
FROM pg_foreign_data_wrapper w JOIN masked m ON m.oid = w.oid AND m.catalog = 'wrapper'
WHERE ('pg_foreign_data_wrapper'::regclass, w.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'server', s.oid, format('%I', s.srvname), NULL, NULL,
       (SELECT format('%I', fdwname) FROM pg_foreign_data_wrapper WHERE oid = s.srvfdw),
       s.srvtype, s.srvversion, NULL, m.options  -- `server` holds the wrapper here
FROM pg_foreign_server s JOIN masked m ON m.oid = s.oid AND m.catalog = 'server'
WHERE ('pg_foreign_server'::regclass, s.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'mapping', u.umid, NULL, NULL, NULL, format('%I', u.srvname), NULL, NULL,
       CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE format('%I', u.usename) END, m.options
FROM pg_user_mappings u JOIN masked m ON m.oid = u.umid AND m.catalog = 'mapping'
WHERE ('pg_foreign_server'::regclass, u.srvid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'table', c.oid, format('%I.%I', n.nspname, c.relname), NULL, NULL,
       (SELECT format('%I', srvname) FROM pg_foreign_server WHERE oid = f.ftserver),
       NULL, NULL, NULL, m.options
FROM pg_foreign_table f
JOIN pg_class c ON c.oid = f.ftrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN masked m ON m.oid = c.oid AND m.catalog = 'table'
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND ('pg_class'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
ORDER BY 1, 3, 6, 9
