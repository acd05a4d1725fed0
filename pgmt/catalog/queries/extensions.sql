-- Extensions, the versions each can be updated to from the installed one, and
-- their members: a dependency on a member is a dependency on the extension.
SELECT e.oid AS objid,
       format('%I', e.extname) AS name,
       format('%I', n.nspname) AS schema,
       e.extversion AS version,
       e.extrelocatable AS relocatable,
       array(SELECT u.target FROM pg_extension_update_paths(e.extname) u
             WHERE u.source = e.extversion AND u.path IS NOT NULL
             ORDER BY u.target) AS update_targets,
       array(SELECT d.classid::oid FROM pg_depend d
             WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
               AND d.deptype = 'e' ORDER BY d.classid, d.objid) AS member_classids,
       array(SELECT d.objid FROM pg_depend d
             WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
               AND d.deptype = 'e' ORDER BY d.classid, d.objid) AS member_objids
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY 2
