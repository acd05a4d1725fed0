-- Text search parsers, templates, dictionaries and configurations, one row each,
-- `kind` telling which; a configuration's mappings read as `token WITH dict, …`.
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
),
members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
SELECT 'parser' AS kind, p.oid AS objid, format('%I.%I', n.nspname, p.prsname) AS name,
       p.prsstart::text AS start, p.prstoken::text AS token, p.prsend::text AS "end",
       NULLIF(p.prsheadline, 0)::regproc::text AS headline, p.prslextype::text AS lextypes,
       NULL AS init, NULL AS lexize, NULL AS template, NULL AS options,
       NULL AS parser, NULL::text[] AS mappings
FROM pg_ts_parser p JOIN user_ns n ON n.oid = p.prsnamespace
WHERE ('pg_ts_parser'::regclass, p.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'template', t.oid, format('%I.%I', n.nspname, t.tmplname),
       NULL, NULL, NULL, NULL, NULL,
       NULLIF(t.tmplinit, 0)::regproc::text, t.tmpllexize::text, NULL, NULL, NULL, NULL
FROM pg_ts_template t JOIN user_ns n ON n.oid = t.tmplnamespace
WHERE ('pg_ts_template'::regclass, t.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'dictionary', d.oid, format('%I.%I', n.nspname, d.dictname),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       format('%I.%I', tn.nspname, t.tmplname), NULLIF(d.dictinitoption, ''), NULL, NULL
FROM pg_ts_dict d JOIN user_ns n ON n.oid = d.dictnamespace
JOIN pg_ts_template t ON t.oid = d.dicttemplate
JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
WHERE ('pg_ts_dict'::regclass, d.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'configuration', c.oid, format('%I.%I', n.nspname, c.cfgname),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       format('%I.%I', pn.nspname, p.prsname),
       array(SELECT format('%s WITH %s', t.alias,
                           string_agg(format('%I.%I', dn.nspname, d.dictname), ', '
                                      ORDER BY m.mapseqno))
             FROM pg_ts_config_map m
             JOIN ts_token_type(c.cfgparser) t ON t.tokid = m.maptokentype
             JOIN pg_ts_dict d ON d.oid = m.mapdict
             JOIN pg_namespace dn ON dn.oid = d.dictnamespace
             WHERE m.mapcfg = c.oid
             GROUP BY t.tokid, t.alias ORDER BY t.tokid)
FROM pg_ts_config c JOIN user_ns n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_namespace pn ON pn.oid = p.prsnamespace
WHERE ('pg_ts_config'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
ORDER BY 1, 3
