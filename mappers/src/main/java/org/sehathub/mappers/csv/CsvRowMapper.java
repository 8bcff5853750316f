package org.sehathub.mappers.csv;

/** Maps one row of one layout into the shared Bundle. */
interface CsvRowMapper {

    /**
     * Maps the row, or reports why not.
     *
     * @return true when the row's resources were added; false when it was rejected (its errors are
     *     then in {@code row.issues()})
     */
    boolean map(CsvRowReader row, ClinicContext context);
}
