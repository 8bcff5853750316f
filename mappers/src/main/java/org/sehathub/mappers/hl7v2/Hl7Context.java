package org.sehathub.mappers.hl7v2;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * What the segment mappers share while one message is mapped: the bundle being built, the issues
 * found, who sent the message. Whom the segments are about (the patient, the visit) is not kept
 * here: it travels as a {@link Subject} value from the message walk to each segment mapper.
 */
final class Hl7Context {

    final ParsedHl7 parsed;
    final SourceInfo source;
    /** MSH-4: scopes MRNs, visit numbers, order numbers and local codes. */
    final String facility;

    final TransactionBundleBuilder bundle = new TransactionBundleBuilder();
    final TerminologyMaps terminology;
    final Clock clock;
    final RawSegments raw;
    final Datatypes types;
    final Practitioners practitioners;
    private final List<MappingIssue> issues = new ArrayList<>();

    /**
     * True for the ADT events that carry the full registration (A01, A04, A05, A08, A28, A31, A40):
     * the Patient is replaced (conditional update). Other events only create it when unknown, so a
     * sparse PID in a transfer, discharge or cancellation never erases demographics.
     */
    final boolean patientAuthoritative;

    /** True for ADT: the sender is the authority for its visits (Encounter conditional update). */
    final boolean encounterAuthoritative;

    /** The sending facility's Organization entry, filed first (set once, before any segment). */
    String organizationRef;

    Hl7Context(
            ParsedHl7 parsed,
            SourceInfo source,
            TerminologyMaps terminology,
            Clock clock,
            boolean patientAuthoritative,
            boolean encounterAuthoritative) {
        this.parsed = parsed;
        this.source = source;
        this.facility = source.facility();
        this.terminology = terminology;
        this.clock = clock;
        this.patientAuthoritative = patientAuthoritative;
        this.encounterAuthoritative = encounterAuthoritative;
        this.raw = new RawSegments(parsed.text(), new Hl7Escaping(parsed.charset()));
        this.types = new Datatypes(this);
        this.practitioners = new Practitioners(this);
    }

    void error(String location, String reason) {
        issues.add(MappingIssue.error(location, reason));
    }

    void warning(String location, String reason) {
        issues.add(MappingIssue.warning(location, reason));
    }

    /** A warning that a value the record would want is empty (HL7 101). */
    void missing(String location, String reason) {
        issues.add(MappingIssue.warning(MappingIssue.Kind.MISSING, location, reason));
    }

    /** A warning that a code is not in its table (HL7 103). */
    void unknownCode(String location, String reason) {
        issues.add(MappingIssue.warning(MappingIssue.Kind.UNKNOWN_CODE, location, reason));
    }

    void information(String location, String reason) {
        issues.add(MappingIssue.information(location, reason));
    }

    List<MappingIssue> issues() {
        return issues;
    }

    /**
     * Reports every valued field of the segment not in {@code mapped}, so nothing a sender filled
     * disappears without a word.
     */
    void reportUnmappedFields(SegmentRef ref, Collection<Integer> mapped) {
        Set<Integer> known = new HashSet<>(mapped);
        for (int field : raw.valuedFields(ref)) {
            if (!known.contains(field)) {
                information(ref.at(field), "not mapped");
            }
        }
    }

    /** {@code identifier=<system>%7C<value>}, as {@link TransactionBundleBuilder#identifierQuery} writes it. */
    static String identifierQuery(String system, String value) {
        return TransactionBundleBuilder.identifierQuery(system, value);
    }
}
