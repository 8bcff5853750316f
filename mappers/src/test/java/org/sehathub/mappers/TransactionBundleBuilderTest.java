package org.sehathub.mappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;

class TransactionBundleBuilderTest {

    private static final SourceInfo SOURCE =
            new SourceInfo("MAYO-HIS", "Mayo Hospital Lahore", "MSG-000123", Instant.parse("2024-03-15T05:30:00Z"));

    @Test
    void deterministicIdIsTheNameBasedUuidOfThePartsJoinedByPipe() {
        assertThat(TransactionBundleBuilder.deterministicId("Patient", "a"))
                .isEqualTo(java.util
                        .UUID
                        .nameUUIDFromBytes("Patient|a".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString())
                .isEqualTo(TransactionBundleBuilder.deterministicId("Patient", "a"))
                .isNotEqualTo(TransactionBundleBuilder.deterministicId("Patient", "b"));
    }

    @Test
    void conditionalCreatePostsWithIfNoneExistAndADeterministicFullUrl() {
        TransactionBundleBuilder builder = new TransactionBundleBuilder();
        String fullUrl = builder.conditionalCreate(new Patient(), "identifier=x%7C1");

        Bundle bundle = builder.build();
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        Bundle.BundleEntryComponent entry = bundle.getEntryFirstRep();
        assertThat(fullUrl)
                .isEqualTo("urn:uuid:" + TransactionBundleBuilder.deterministicId("Patient", "identifier=x%7C1"))
                .isEqualTo(entry.getFullUrl());
        assertThat(entry.getRequest().getMethod()).isEqualTo(HTTPVerb.POST);
        assertThat(entry.getRequest().getUrl()).isEqualTo("Patient");
        assertThat(entry.getRequest().getIfNoneExist()).isEqualTo("Patient?identifier=x%7C1");
    }

    @Test
    void conditionalUpdatePutsToTheMatchUrl() {
        TransactionBundleBuilder builder = new TransactionBundleBuilder();
        builder.conditionalUpdate(new Organization(), "identifier=f%7Cmayo");

        Bundle.BundleEntryComponent entry = builder.build().getEntryFirstRep();
        assertThat(entry.getRequest().getMethod()).isEqualTo(HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl()).isEqualTo("Organization?identifier=f%7Cmayo");
    }

    @Test
    void updatePutsToTheIdAndUsesItInTheFullUrl() {
        TransactionBundleBuilder builder = new TransactionBundleBuilder();
        String id = TransactionBundleBuilder.deterministicId("Observation", "k");
        String fullUrl = builder.update(new Patient(), id);

        Bundle.BundleEntryComponent entry = builder.build().getEntryFirstRep();
        assertThat(fullUrl).isEqualTo("urn:uuid:" + id);
        assertThat(entry.getRequest().getUrl()).isEqualTo("Patient/" + id);
        assertThat(entry.getResource().getIdElement().getIdPart()).isEqualTo(id);
    }

    @Test
    void addingTheSameKeyTwiceKeepsOneEntry() {
        TransactionBundleBuilder builder = new TransactionBundleBuilder();
        String first = builder.conditionalCreate(new Patient().setActive(true), "identifier=x%7C1");
        String second = builder.conditionalCreate(new Patient(), "identifier=x%7C1");

        assertThat(second).isEqualTo(first);
        assertThat(builder.build().getEntry()).hasSize(1);
        assertThat(((Patient) builder.find(first).orElseThrow()).getActive()).isTrue();
    }

    @Test
    void provenanceRecordsSourceSystemFacilityMessageIdAndTargets() {
        TransactionBundleBuilder builder = new TransactionBundleBuilder();
        String patient = builder.conditionalCreate(new Patient(), "identifier=x%7C1");
        String provenanceUrl = builder.provenance(SOURCE, List.of(patient));

        Provenance provenance = (Provenance) builder.find(provenanceUrl).orElseThrow();
        assertThat(provenance.getTargetFirstRep().getReference()).isEqualTo(patient);
        assertThat(provenance.getRecorded()).isEqualTo(java.util.Date.from(SOURCE.receivedAt()));
        assertThat(provenance.getAgent())
                .extracting(a -> a.getWho().getIdentifier().getValue())
                .containsExactly("mayo-hospital-lahore", "MAYO-HIS");
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getSystem())
                .isEqualTo(NamingSystems.MESSAGE_ID);
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo("MSG-000123");
        assertThat(provenanceUrl)
                .isEqualTo("urn:uuid:"
                        + TransactionBundleBuilder.deterministicId(
                                "Provenance", "MAYO-HIS", "Mayo Hospital Lahore", "MSG-000123"));
    }

    @Test
    void provenanceWithoutTargetsIsRefused() {
        assertThatThrownBy(() -> new TransactionBundleBuilder().provenance(SOURCE, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namingSystemsScopeMrnsAndLocalCodesToAFacilitySlug() {
        assertThat(NamingSystems.mrn("Mayo Hospital, Lahore"))
                .isEqualTo("https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore");
        assertThat(NamingSystems.localCodes("BHU Chak 45"))
                .isEqualTo("https://fhir.sehathub.pk/CodeSystem/local/bhu-chak-45");
        assertThat(NamingSystems.facility()).isEqualTo("https://fhir.sehathub.pk/sid/facility");
    }

    @Test
    void mappingExceptionNamesTheFirstLocationAndKeepsEveryIssue() {
        MappingException e = new MappingException(
                List.of(MappingIssue.error("/patient/cnic", "CNIC is empty"), MappingIssue.error("/x", "unknown")));
        assertThat(e.getLocation()).isEqualTo("/patient/cnic");
        assertThat(e.getReason()).isEqualTo("CNIC is empty");
        assertThat(e.getIssues()).hasSize(2);
        assertThat(new MappingException("PID-7", "birth date is in the future").getMessage())
                .isEqualTo("PID-7: birth date is in the future");
    }

    @Test
    void mappingResultHasErrorsOnlyWithAnErrorIssue() {
        assertThat(new MappingResult(new Bundle(), List.of(MappingIssue.warning("a", "b"))).hasErrors())
                .isFalse();
        assertThat(new MappingResult(new Bundle(), List.of(MappingIssue.error("a", "b"))).hasErrors())
                .isTrue();
    }

    @Test
    void identifierQueryEscapesWhatFhirSearchWouldReadAsSyntax() {
        assertThat(TransactionBundleBuilder.searchEscaped("a\\b,c$d|e")).isEqualTo("a\\\\b\\,c\\$d\\|e");
        assertThat(TransactionBundleBuilder.identifierQuery("https://x.pk/sid/ward", "4 East, room 136"))
                .isEqualTo("identifier=https://x.pk/sid/ward%7C4%20East%5C%2C%20room%20136");
    }
}
