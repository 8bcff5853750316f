-- The analytical store (docs/analytics.md): one table per SQL on FHIR view, in a schema of its own,
-- refreshed after writes by ViewRefresher. The view tables are made by the server from the view
-- definitions (and made again when a definition changes); this table remembers, per view, the
-- definition its table was built from and how far into HAPI's resources it has been brought.
CREATE SCHEMA IF NOT EXISTS sehat_analytics;

CREATE TABLE sehat_analytics.view_state (
    view_name     VARCHAR(63)   PRIMARY KEY,
    fingerprint   VARCHAR(64)   NOT NULL,
    -- the last resource version brought in: HAPI's hfj_resource.res_updated and res_id
    updated_to    TIMESTAMP     NOT NULL,
    last_res_id   BIGINT        NOT NULL,
    refreshed_at  TIMESTAMPTZ
);

-- A FHIR date or dateTime as written (2026, 2026-03, 2026-03-14, 2026-03-14T10:00:00+05:00) to a
-- date: the first day of what it names; the local date as written, never shifted to another zone.
CREATE FUNCTION sehat_analytics.fhir_date(value TEXT) RETURNS DATE
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN value IS NULL THEN NULL
        WHEN length(value) >= 10 THEN substr(value, 1, 10)::date
        WHEN length(value) = 7 THEN (value || '-01')::date
        WHEN length(value) = 4 THEN (value || '-01-01')::date
    END
$$;
