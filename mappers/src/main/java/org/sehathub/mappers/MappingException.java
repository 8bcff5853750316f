package org.sehathub.mappers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A record that cannot be mapped at all. It names the field(s) and the reason(s) so that the
 * transport can answer the sender precisely (an HL7 NACK, an HTTP 422 with a report).
 */
public class MappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<MappingIssue> issues;

    /** A value that is there but cannot be used ({@link MappingIssue.Kind#INVALID}). */
    public MappingException(String location, String reason) {
        this(MappingIssue.Kind.INVALID, location, reason, null);
    }

    public MappingException(String location, String reason, Throwable cause) {
        this(MappingIssue.Kind.INVALID, location, reason, cause);
    }

    public MappingException(MappingIssue.Kind kind, String location, String reason) {
        this(kind, location, reason, null);
    }

    public MappingException(MappingIssue.Kind kind, String location, String reason, Throwable cause) {
        super(location + ": " + reason, cause);
        this.issues = List.of(MappingIssue.error(kind, location, reason));
    }

    /** Several errors at once, e.g. every JSON Schema violation of one document. */
    public MappingException(List<MappingIssue> issues) {
        super(describe(issues));
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("a MappingException needs at least one issue");
        }
        this.issues = List.copyOf(issues);
    }

    /** Location of the first issue. */
    public String getLocation() {
        return issues.get(0).location();
    }

    /** Kind of the first issue. */
    public MappingIssue.Kind getKind() {
        return issues.get(0).kind();
    }

    /** Reason of the first issue. */
    public String getReason() {
        return issues.get(0).reason();
    }

    /** Every issue, the first being the one named by {@link #getLocation()}. */
    public List<MappingIssue> getIssues() {
        return issues;
    }

    private static String describe(List<MappingIssue> issues) {
        return issues.stream().map(i -> i.location() + ": " + i.reason()).collect(Collectors.joining("; "));
    }
}
