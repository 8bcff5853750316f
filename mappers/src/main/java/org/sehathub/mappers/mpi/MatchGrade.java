package org.sehathub.mappers.mpi;

/**
 * How sure a match is, in the codes of FHIR's {@code match-grade} value set (used by {@code
 * Patient/$match}).
 */
public enum MatchGrade {
    /** The same valid CNIC (or B-form) and nothing that contradicts it: linked at once. */
    CERTAIN("certain"),
    /** The evidence adds up past the match threshold: linked. */
    PROBABLE("probable"),
    /** Between the thresholds: not linked; an operator reviews it. */
    POSSIBLE("possible"),
    /** Below the possible threshold, or contradicted (different CNICs, sexes, fathers). */
    CERTAINLY_NOT("certainly-not");

    private final String code;

    MatchGrade(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** True for the grades that link records. */
    public boolean links() {
        return this == CERTAIN || this == PROBABLE;
    }
}
