-- Concurrent first writes of a new day (logs) or hour (metrics head) both saw the partition
-- missing; the advisory lock serialised them, but the second caller's catalog snapshot could
-- still miss the table the first one had just committed, and CREATE TABLE failed with
-- "already exists". The creation now treats duplicate_table as done.
CREATE OR REPLACE FUNCTION lookout_ensure_log_partition(d date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  part text := 'log_blocks_' || to_char(d, 'YYYYMMDD');
BEGIN
  IF to_regclass(part) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(part));
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF log_blocks FOR VALUES FROM (%L) TO (%L)', part, d, d + 1);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN payload SET STORAGE EXTERNAL', part);
    EXCEPTION WHEN duplicate_table THEN
      NULL;
    END;
  END IF;
  RETURN part;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lookout_ensure_metric_head_partition(b bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  part text := 'metric_head_' || to_char(to_timestamp(b / 1000) AT TIME ZONE 'UTC', 'YYYYMMDDHH24');
BEGIN
  IF b % 3600000 <> 0 THEN
    RAISE EXCEPTION 'metric head bucket % is not an hour start', b;
  END IF;
  IF to_regclass(part) IS NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(part));
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF metric_head FOR VALUES FROM (%s) TO (%s)', part, b, b + 3600000);
      EXECUTE format('ALTER TABLE %I ALTER COLUMN payload SET STORAGE EXTERNAL', part);
    EXCEPTION WHEN duplicate_table THEN
      NULL;
    END;
  END IF;
  RETURN part;
END;
$$;
