package ca.uhn.fhir.jpa.dao;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.model.entity.ResourceEncodingEnum;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.searchparam.extractor.ResourceIndexedSearchParams;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import com.google.common.hash.Hashing;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.sehathub.server.storage.IndexOnceExtractor;
import org.sehathub.server.storage.TransactionFirstPass;

/**
 * The first pass of a FHIR transaction neither indexes nor encodes a new resource; everything else
 * is encoded as HAPI encodes it. (That the second pass then stores and indexes the resource whole is
 * tested on a running server: {@code AbstractFhirServerIT}.)
 */
class EncodeOnceHistoryCalculatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final IndexOnceExtractor extractor = new IndexOnceExtractor();
    private final EncodeOnceHistoryCalculator calculator = new EncodeOnceHistoryCalculator(FHIR, false);

    @Test
    void aNewResourceInATransactionsFirstPassIsNeitherIndexedNorEncoded() {
        Patient patient = patient();
        ResourceIndexedSearchParams params = ResourceIndexedSearchParams.withSets();

        extractor.populateFromResource(
                null, params, fhirTransaction(), new ResourceTable(), patient, null, null, false);

        assertThat(TransactionFirstPass.isMarked(patient)).isTrue();
        assertThat(params.myStringParams).isEmpty();
        assertThat(params.myTokenParams).isEmpty();
        assertThat(params.myLinks).isEmpty();
        ResourceHistoryState state =
                calculator.calculateResourceHistoryState(patient, ResourceEncodingEnum.JSON, List.of());
        assertThat(state.getResourceText()).isNull();
        assertThat(state.getHashCode()).isEqualTo(EncodeOnceHistoryCalculator.NOT_ENCODED);
    }

    @Test
    void anyOtherResourceIsEncodedAsHapiEncodesIt() {
        Patient patient = patient();

        ResourceHistoryState state =
                calculator.calculateResourceHistoryState(patient, ResourceEncodingEnum.JSON, List.of());

        assertThat(state.getResourceText()).isEqualTo(FHIR.newJsonParser().encodeResourceToString(patient));
        assertThat(state.getHashCode())
                .isEqualTo(Hashing.sha256().hashUnencodedChars(state.getResourceText()))
                .isNotEqualTo(EncodeOnceHistoryCalculator.NOT_ENCODED);
        assertThat(state)
                .isEqualTo(new ResourceHistoryCalculator(FHIR, false)
                        .calculateResourceHistoryState(patient, ResourceEncodingEnum.JSON, List.of()));
    }

    private static TransactionDetails fhirTransaction() {
        TransactionDetails details = new TransactionDetails();
        details.setFhirTransaction(true);
        return details;
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.addName().setFamily("Haider").addGiven("Zarina");
        patient.addIdentifier()
                .setSystem("https://fhir.sehathub.pk/sid/mrn/test")
                .setValue("MR-1");
        return patient;
    }
}
