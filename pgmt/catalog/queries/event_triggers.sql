SELECT e.oid AS objid,
       format('%I', e.evtname) AS name,
       e.evtevent AS event,
       coalesce(e.evttags, '{}') AS tags,
       format('%I.%I', n.nspname, p.proname) AS function,
       e.evtenabled::text AS enabled
FROM pg_event_trigger e
JOIN pg_proc p ON p.oid = e.evtfoid
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_event_trigger'::regclass
                  AND d.objid = e.oid AND d.deptype = 'e')
ORDER BY name
