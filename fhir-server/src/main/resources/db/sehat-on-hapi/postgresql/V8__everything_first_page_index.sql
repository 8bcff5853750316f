-- The links to one resource, in the order of the resources they come from. HAPI's query for the
-- first page of Patient/[id]/$everything asks for the lowest ids of the resources linking to the
-- patient (ORDER BY src_resource_id, first few rows). HAPI's own indexes on hfj_res_link hold
-- either the target followed by the path, or the source alone, so PostgreSQL walked every link of
-- the database in source order until it had found a page of the patient's: the later a patient's
-- record was loaded, the longer (545 ms at 1.4 million links for one patient of the benchmark's
-- 200; 0.7 ms with this index). Sehat Hub's, not HAPI's: HAPI's migrations do not know it.
-- Built without locking writes out (CONCURRENTLY, outside a transaction: Flyway runs such a
-- migration without one), as a server that upgrades may share its database with one still running.
-- A build that was interrupted leaves an invalid index of that name behind, and this migration is
-- not recorded as done: the next start drops the leftover and builds it again.
DROP INDEX CONCURRENTLY IF EXISTS ix_sehat_res_link_target_src;
CREATE INDEX CONCURRENTLY ix_sehat_res_link_target_src ON hfj_res_link (target_resource_id, src_resource_id);
