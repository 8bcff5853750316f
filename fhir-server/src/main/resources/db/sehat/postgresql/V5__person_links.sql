-- Patient linking (docs/mpi.md): which person each Patient record belongs to, decided in the same
-- database transaction that writes the Patient (PersonLinker), and the pairs an operator must look at.

-- One row per Patient record: its person, how it came to belong to it, and what the matcher compares
-- of it (PersonRecord as JSON: CNIC, name skeletons, phones; as identifying as the Patient itself).
CREATE TABLE sehat_person_link (
    patient_id  VARCHAR(64)       PRIMARY KEY,
    person_id   VARCHAR(64)       NOT NULL,
    -- first: founded its person; certain / probable: linked by the matcher; manual: by an operator
    link        VARCHAR(16)       NOT NULL,
    score       DOUBLE PRECISION,
    features    TEXT              NOT NULL,
    updated_at  TIMESTAMPTZ       NOT NULL DEFAULT now()
);
CREATE INDEX ix_sehat_person_link_person ON sehat_person_link (person_id);

-- Pairs of records that may be one person (record_a < record_b): open until an operator decides
-- same (their persons merged) or different (kept apart from then on, however they are updated).
CREATE TABLE sehat_person_review (
    id          BIGSERIAL         PRIMARY KEY,
    record_a    VARCHAR(64)       NOT NULL,
    record_b    VARCHAR(64)       NOT NULL,
    score       DOUBLE PRECISION  NOT NULL,
    grade       VARCHAR(16)       NOT NULL,
    evidence    TEXT              NOT NULL,
    status      VARCHAR(16)       NOT NULL DEFAULT 'open',
    created_at  TIMESTAMPTZ       NOT NULL DEFAULT now(),
    decided_at  TIMESTAMPTZ,
    decided_by  VARCHAR(200),
    CONSTRAINT uq_sehat_person_review_pair UNIQUE (record_a, record_b)
);
CREATE INDEX ix_sehat_person_review_b ON sehat_person_review (record_b);
CREATE INDEX ix_sehat_person_review_open ON sehat_person_review (status, id);
