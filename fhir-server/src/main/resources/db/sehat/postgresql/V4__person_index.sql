-- Patient linking (docs/mpi.md): the blocking keys of every Patient, written in the same database
-- transaction as the Patient itself (PersonIndexer), so that Patient/$match finds the records that
-- could be the same person without reading every Patient. Keys are typed (cnic:, phone:,
-- name-year:...; word: keys count how many Patients hold each name word, to weigh it) and hold name skeletons, CNICs and phones: as identifying as the Patient rows
-- they index, and kept with them.
CREATE TABLE sehat_person_key (
    patient_id  VARCHAR(64)   NOT NULL,
    key         VARCHAR(300)  NOT NULL
);
CREATE INDEX ix_sehat_person_key_key ON sehat_person_key (key, patient_id);
CREATE INDEX ix_sehat_person_key_patient ON sehat_person_key (patient_id);
