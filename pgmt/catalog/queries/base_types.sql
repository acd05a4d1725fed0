-- Base types (`CREATE TYPE t (INPUT = …, OUTPUT = …)`) and shell types (`CREATE TYPE
-- t`, typtype 'p' and not yet defined). Array types PostgreSQL made for a type
-- (some type's `typarray`) are reached through `array_oid` instead. The oids of the
-- I/O functions whose signatures name the type (input, output, receive, send) let
-- the reader break the type ↔ function dependency cycle through the shell.
SELECT t.oid AS objid,
       t.typtype = 'p' AS shell,
       format('%I.%I', n.nspname, t.typname) AS name,
       format('%I', n.nspname) AS schema,
       t.typarray AS array_oid,
       t.typinput::oid AS input_oid, t.typoutput::oid AS output_oid,
       t.typreceive::oid AS receive_oid, t.typsend::oid AS send_oid,
       t.typinput::regproc::text AS input,
       t.typoutput::regproc::text AS output,
       NULLIF(t.typreceive, 0)::regproc::text AS receive,
       NULLIF(t.typsend, 0)::regproc::text AS send,
       NULLIF(t.typmodin, 0)::regproc::text AS typmod_in,
       NULLIF(t.typmodout, 0)::regproc::text AS typmod_out,
       NULLIF(t.typanalyze, 0)::regproc::text AS analyze,
       NULLIF(t.typsubscript, 0)::regproc::text AS subscript,
       t.typlen AS internal_length,
       t.typbyval AS passed_by_value,
       CASE t.typalign WHEN 'c' THEN 'char' WHEN 's' THEN 'int2' WHEN 'i' THEN 'int4'
                       ELSE 'double' END AS alignment,
       CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                         WHEN 'm' THEN 'main' ELSE 'extended' END AS storage,
       t.typcategory AS category,
       t.typispreferred AS preferred,
       t.typdefault AS default_value,
       CASE WHEN t.typelem <> 0 THEN format_type(t.typelem, NULL) END AS element,
       t.typdelim AS delimiter,
       t.typcollation <> 0 AS collatable
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND (t.typtype = 'b' OR (t.typtype = 'p' AND NOT t.typisdefined))
  AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass
                       AND e.objid = t.oid AND e.deptype = 'e'))
ORDER BY name
