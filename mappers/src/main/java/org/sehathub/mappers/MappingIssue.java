package org.sehathub.mappers;

import java.util.Objects;

/**
 * Something a mapper could not map, or mapped with a caveat, reported beside the Bundle instead of
 * being dropped silently.
 *
 * @param severity how serious it is; an {@link Severity#ERROR} means data was lost
 * @param location where in the source, in the source's own notation: HL7 {@code PID-3[2].1} or
 *     {@code OBX[3]-5}, CSV {@code line 7, column date_of_birth}, JSON pointer {@code /patient/cnic}
 * @param reason a human sentence the sender can act on
 */
public record MappingIssue(Severity severity, String location, String reason) {

  /** Severity of an issue, in the order of FHIR's {@code OperationOutcome.issue.severity}. */
  public enum Severity {
    ERROR,
    WARNING,
    INFORMATION
  }

  public MappingIssue {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(reason, "reason");
  }

  public static MappingIssue error(String location, String reason) {
    return new MappingIssue(Severity.ERROR, location, reason);
  }

  public static MappingIssue warning(String location, String reason) {
    return new MappingIssue(Severity.WARNING, location, reason);
  }

  public static MappingIssue information(String location, String reason) {
    return new MappingIssue(Severity.INFORMATION, location, reason);
  }

  @Override
  public String toString() {
    return severity + " " + location + ": " + reason;
  }
}
