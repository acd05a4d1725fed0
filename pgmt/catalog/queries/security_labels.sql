-- Every security label on a user object; the reader keeps those whose object it
-- knows. Labels exist only where a provider is loaded (sepgsql, or an extension
-- such as PostgreSQL Anonymizer). Labels on shared objects (pg_shseclabel) are out
-- of scope: roles and tablespaces are not diffed at all, and the one shared object a
-- schema could mean, the database itself, is a different database on each side (the
-- shadow has a random name; SECURITY LABEL ON DATABASE takes a literal name, so no
-- schema file could set it), as for COMMENT ON DATABASE.
SELECT l.classoid AS classid, l.objoid AS objid, l.objsubid AS subid,
       l.provider, l.label
FROM pg_seclabel l
WHERE l.objoid >= 16384 OR l.classoid = 'pg_namespace'::regclass
ORDER BY 1, 2, 3, 4
