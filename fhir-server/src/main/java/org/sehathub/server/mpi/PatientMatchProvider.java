package org.sehathub.server.mpi;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.mpi.Blocking;
import org.sehathub.mappers.mpi.MatchGrade;
import org.sehathub.mappers.mpi.MatchResult;
import org.sehathub.mappers.mpi.PatientMatcher;
import org.sehathub.mappers.mpi.PersonRecord;

/**
 * {@code Patient/$match} (FHIR R4): the records that could be the person described, each with a
 * score and a match grade, best first. Candidates come from the blocking keys ({@link PersonIndex});
 * each is compared by the matcher ({@code docs/mpi.md}); records graded certainly-not are left out.
 * They are read with the caller's rights: a hospital sees only its facilities' records, an app
 * only consenting patients'.
 *
 * <p>{@code search.score} is the matcher's score mapped onto 0..1 (0.5 at the possible threshold,
 * 0.95 at the match threshold); the grade is the {@code match-grade} extension's {@code certain},
 * {@code probable} or {@code possible}.
 */
public class PatientMatchProvider {

    static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";
    static final int DEFAULT_COUNT = 10;

    private final PersonIndex index;
    private final IFhirResourceDao<Patient> patients;
    private final PatientMatcher.Thresholds thresholds;
    private final Clock clock;

    public PatientMatchProvider(
            PersonIndex index, IFhirResourceDao<Patient> patients, PatientMatcher.Thresholds thresholds, Clock clock) {
        this.index = index;
        this.patients = patients;
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** The candidates for a described person that are not certainly someone else, and the matcher that graded them. */
    record Comparison(PatientMatcher matcher, List<Candidate> candidates) {}

    /** Finds and grades the records that could be the person {@code described}, with the caller's rights. */
    Comparison compare(Patient described, RequestDetails request) {
        LocalDate today = LocalDate.now(clock);
        PersonRecord wanted = PersonRecord.of("Patient/$match", null, described, today);
        List<Patient> found = PatientsById.read(
                patients, index.candidates(Blocking.keys(wanted), PersonLinker.MAX_CANDIDATES), request);
        List<PersonRecord> records = found.stream()
                .map(p -> PersonRecord.of(
                        p.getIdElement().toUnqualifiedVersionless().getValue(), null, p, today))
                .toList();
        List<PersonRecord> all = new ArrayList<>(records);
        all.add(wanted);
        PatientMatcher matcher = index.matcher(thresholds, all);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            MatchResult result = matcher.compare(wanted, records.get(i));
            if (result.grade() != MatchGrade.CERTAINLY_NOT) {
                candidates.add(new Candidate(found.get(i), result));
            }
        }
        return new Comparison(matcher, candidates);
    }

    /** One candidate and how it compares. */
    record Candidate(Patient patient, MatchResult result) {}

    @Operation(name = "$match", type = Patient.class, idempotent = false)
    public Bundle match(
            @OperationParam(name = "resource", min = 1, max = 1, typeName = "Patient") IBaseResource resource,
            @OperationParam(name = "onlyCertainMatches", max = 1) BooleanType onlyCertainMatches,
            @OperationParam(name = "count", max = 1) IntegerType count,
            RequestDetails request) {
        if (!(resource instanceof Patient described)) {
            throw new InvalidRequestException("$match needs a Patient in the parameter 'resource'");
        }
        Comparison comparison = compare(described, request);
        PatientMatcher matcher = comparison.matcher();
        List<Candidate> candidates = comparison.candidates();
        boolean certainOnly = onlyCertainMatches != null && onlyCertainMatches.booleanValue();
        int limit =
                count != null && count.getValue() != null && count.getValue() > 0 ? count.getValue() : DEFAULT_COUNT;
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        candidates.stream()
                .filter(c -> !certainOnly || c.result().grade() == MatchGrade.CERTAIN)
                .sorted(Comparator.comparingDouble((Candidate c) -> c.result().score())
                        .reversed())
                .limit(limit)
                .forEach(c -> {
                    Bundle.BundleEntryComponent entry = bundle.addEntry()
                            .setFullUrl(c.patient()
                                    .getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue())
                            .setResource(c.patient());
                    entry.getSearch()
                            .setMode(Bundle.SearchEntryMode.MATCH)
                            .setScore(score(matcher, c.result().score()))
                            .addExtension(new Extension(
                                    MATCH_GRADE, new CodeType(c.result().grade().code())));
                });
        bundle.setTotal(bundle.getEntry().size());
        return bundle;
    }

    private static final double SCORE_ABOVE_MATCH = 5.0;

    /**
     * The score onto 0..1: below the match threshold a logistic curve through 0.5 at the possible
     * and 0.95 at the match threshold; above it the last 0.05 approached (what is left shrinks e-fold
     * per {@link #SCORE_ABOVE_MATCH} of evidence), so that a certain match still ranks above a
     * probable one however narrow the band between the thresholds.
     */
    private static double score(PatientMatcher matcher, double score) {
        double match = matcher.matchThreshold();
        double possible = matcher.possibleThreshold();
        double value;
        if (score >= match) {
            value = 1 - 0.05 * Math.exp(-(score - match) / SCORE_ABOVE_MATCH);
        } else {
            double band = Math.max(match - possible, 0.5);
            value = 1 / (1 + Math.exp(-Math.log(19) / band * (score - possible)));
        }
        return Math.round(value * 1000) / 1000.0;
    }
}
