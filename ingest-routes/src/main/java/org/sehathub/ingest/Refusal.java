package org.sehathub.ingest;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.sehathub.ingest.sink.BundleRejectedException;
import org.sehathub.ingest.sink.ConflictingResendException;
import org.sehathub.ingest.sink.SinkUnavailableException;
import org.sehathub.ingest.sink.UnknownRecordException;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;

/**
 * Why a message was refused, in terms every transport can answer: a kind (which decides AR or AE,
 * and the HTTP status) and the issues with their locations and reasons.
 *
 * @param kind what sort of refusal
 * @param issues where and why; at least one
 * @param hl7ErrorCode HL7 table 0357 code when the refusing step knew one, otherwise null
 */
public record Refusal(Kind kind, List<MappingIssue> issues, String hl7ErrorCode) {

    /**
     * The four classes of failure, which decide what the sender is told to do: refused for what
     * the message holds (do not send it again unchanged), refused by policy (this sender may not),
     * transient (nothing stored; send again later), internal (a fault of ours; sending again will
     * not help until it is fixed).
     */
    public enum FailureClass {
        CONTENT,
        POLICY,
        TRANSIENT,
        INTERNAL
    }

    /** The kinds of refusal, each with its HTTP status and its failure class. */
    public enum Kind {
        /** Unparseable, unsupported type or version, wrong processing id: HL7 AR, HTTP 400. */
        REJECTED(400),
        /** The authenticated sender may not send for the facility named: HL7 AR, HTTP 403. */
        NOT_PERMITTED(403),
        /**
         * Too big to read, or more segments or rows than accepted: HL7 AR (ERR-3 104), HTTP 413; not
         * kept as a dead letter. An MLLP message far over the byte limit resets the connection instead.
         */
        TOO_LARGE(413),
        /** Parsed, but mapping or validation failed: HL7 AE, HTTP 422. */
        UNMAPPABLE(422),
        /** The central record refused the bundle (an invalid reference, say): AE, 422. */
        BUNDLE_REJECTED(422),
        /** The message id was used before for other content: AE, 409. */
        CONFLICT(409),
        /** The database could not be reached; nothing stored, try again later: AE, 503. */
        UNAVAILABLE(503),
        /** A fault of ours: AE, 500. */
        INTERNAL(500);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public FailureClass failureClass() {
            return switch (this) {
                case NOT_PERMITTED -> FailureClass.POLICY;
                case UNAVAILABLE -> FailureClass.TRANSIENT;
                case INTERNAL -> FailureClass.INTERNAL;
                default -> FailureClass.CONTENT;
            };
        }

        /** {@code UNMAPPABLE} -> {@code unmappable}, for metrics and problem types. */
        public String slug() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public Refusal {
        Objects.requireNonNull(kind, "kind");
        issues = List.copyOf(issues);
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one issue");
        }
    }

    public static Refusal of(Kind kind, String location, String reason) {
        return new Refusal(kind, List.of(MappingIssue.error(location, reason)), null);
    }

    /** Classifies whatever a route step threw. */
    public static Refusal of(Throwable failure) {
        if (failure instanceof MessageRejectedException e) {
            return new Refusal(Kind.REJECTED, e.issues(), e.hl7ErrorCode());
        }
        if (failure instanceof SenderNotPermittedException e) {
            return of(Kind.NOT_PERMITTED, e.location(), e.reason());
        }
        if (failure instanceof BodyTooLargeException e) {
            return of(Kind.TOO_LARGE, "body", e.getMessage());
        }
        if (failure instanceof LimitExceededException e) {
            return of(Kind.TOO_LARGE, e.location(), e.getMessage());
        }
        if (failure instanceof MappingException e) {
            return new Refusal(Kind.UNMAPPABLE, e.getIssues(), null);
        }
        if (failure instanceof ConflictingResendException e) {
            return new Refusal(Kind.CONFLICT, List.of(MappingIssue.error("message id", e.getMessage())), "205");
        }
        if (failure instanceof UnknownRecordException e) {
            return new Refusal(Kind.BUNDLE_REJECTED, List.of(MappingIssue.error("bundle", e.getMessage())), "204");
        }
        if (failure instanceof BundleRejectedException e) {
            return new Refusal(
                    Kind.BUNDLE_REJECTED,
                    List.of(MappingIssue.error("bundle", "the central record refused the data: " + e.getMessage())),
                    "207");
        }
        if (failure instanceof SinkUnavailableException) {
            return new Refusal(
                    Kind.UNAVAILABLE,
                    List.of(MappingIssue.error("storage", "storage unavailable; nothing was stored, send again later")),
                    "207");
        }
        // The message of an unexpected exception may quote the payload, so it is not repeated to
        // the sender or stored as the reason; the stack trace goes to the log at DEBUG only.
        return new Refusal(
                Kind.INTERNAL,
                List.of(MappingIssue.error(
                        "server", "internal error (" + failure.getClass().getSimpleName() + "); nothing was stored")),
                "207");
    }

    /** The first issue's location, reason pairs joined: what the sender is told and what is kept. */
    public String summary() {
        return issues.stream()
                .map(i -> (i.location() != null ? i.location() + ": " : "") + i.reason())
                .collect(Collectors.joining("; "));
    }

    /** The locations only: safe to log, because reasons may quote values such as a CNIC. */
    public String locations() {
        return issues.stream()
                .map(i -> i.location() != null ? i.location() : "-")
                .distinct()
                .limit(10)
                .collect(Collectors.joining(","));
    }
}
