-- ADD TABLES IN SCHEMA (PostgreSQL 15+).
SELECT format('%I', p.pubname) AS publication,
       format('%I', n.nspname) AS schema
FROM pg_publication_namespace pn
JOIN pg_publication p ON p.oid = pn.pnpubid
JOIN pg_namespace n ON n.oid = pn.pnnspid
ORDER BY publication, schema
