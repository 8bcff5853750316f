package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.resources;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingResult;

/** ORM^O01 and OML^O21 orders, OUL^R22 results and SPM specimens, field by field. */
class OrderMappingTest {

    private static final String OBR =
            "OBR|1|P-77||CBC^Complete blood count^L|S|20240315090000|||||||Pallor, fatigue||||D-12^Iqbal^Sana^^^Dr.";

    @Test
    void anOrmNewOrderBecomesAServiceRequestMatchedOnThePlacerNumberAndReplaced() {
        MappingResult result = map(
                "ORM^O01",
                PID,
                "PV1|1|O|OPD^^^Mayo||||||||||||||||V-5",
                "ORC|NW|P-77|||||||20240315085500|||D-12^Iqbal^Sana",
                OBR);
        Bundle.BundleEntryComponent entry = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof ServiceRequest)
                .findFirst()
                .orElseThrow();
        assertThat(entry.getRequest().getMethod()).as("placer is the authority").isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl())
                .startsWith("ServiceRequest?identifier=")
                .contains("placer-order")
                .endsWith("P-77");
        ServiceRequest sr = (ServiceRequest) entry.getResource();
        assertThat(sr.getStatus()).as("ORC-1 NW").isEqualTo(ServiceRequestStatus.ACTIVE);
        assertThat(sr.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        assertThat(sr.getCode().getCodingFirstRep().getCode()).as("OBR-4").isEqualTo("CBC");
        assertThat(sr.getPriority()).as("OBR-5 S").isEqualTo(ServiceRequestPriority.STAT);
        assertThat(sr.getAuthoredOnElement().getValueAsString()).as("ORC-9").startsWith("2024-03-15T08:55");
        assertThat(sr.getOccurrenceDateTimeType().getValueAsString())
                .as("OBR-6")
                .startsWith("2024-03-15T09:00");
        assertThat(sr.getRequester().getReference()).as("ORC-12").isNotNull();
        assertThat(sr.getEncounter().getReference()).as("PV1").isNotNull();
        assertThat(sr.getNoteFirstRep().getText()).as("OBR-13").contains("Pallor, fatigue");
    }

    @Test
    void aCancellationWithoutOrderDetailPatchesTheKnownOrdersStatus() {
        MappingResult result = map("ORM^O01", PID, "ORC|CA|P-77");
        Bundle.BundleEntryComponent patch = result.bundle().getEntry().stream()
                .filter(e -> e.getRequest().getMethod() == Bundle.HTTPVerb.PATCH)
                .findFirst()
                .orElseThrow();
        assertThat(patch.getRequest().getUrl())
                .startsWith("ServiceRequest?identifier=")
                .endsWith("P-77");
        Parameters.ParametersParameterComponent op = ((Parameters) patch.getResource()).getParameterFirstRep();
        assertThat(op.getPart()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("value");
            assertThat(p.getValue().primitiveValue()).isEqualTo("revoked");
        });
        assertThat(resources(result, ServiceRequest.class))
                .as("no order detail: nothing replaced")
                .isEmpty();
    }

    @Test
    void aCancellationWithOrderDetailReplacesTheOrderAsRevoked() {
        ServiceRequest sr = only(map("ORM^O01", PID, "ORC|CA|P-77", OBR), ServiceRequest.class);
        assertThat(sr.getStatus()).as("ORC-1 CA").isEqualTo(ServiceRequestStatus.REVOKED);
    }

    @Test
    void anOrderStatusInOrc5WinsOverTheOrderControl() {
        ServiceRequest sr = only(map("ORM^O01", PID, "ORC|SC|P-77|||HD", OBR), ServiceRequest.class);
        assertThat(sr.getStatus()).as("ORC-5 HD").isEqualTo(ServiceRequestStatus.ONHOLD);
    }

    @Test
    void anOrderOfAKindNotMappedIsReportedNotRefused() {
        MappingResult result = map("ORM^O01", PID, "ORC|NW|DIET-1", "ODS|D||NPO^Nothing by mouth^L");
        assertThat(resources(result, ServiceRequest.class)).isEmpty();
        assertThat(issuesAt(result, "ORC[1]"))
                .singleElement()
                .asString()
                .startsWith("WARNING")
                .contains("only laboratory");
        assertThat(issuesAt(result, "ODS[1]")).singleElement().asString().startsWith("INFORMATION");
    }

    @Test
    void aPharmacyOrderBecomesAMedicationRequestMatchedOnThePlacerNumber() {
        MappingResult result = map(
                "ORM^O01",
                PID,
                "ORC|NW|RX-77|||||||20240315090000|||D-12^Iqbal^Sana",
                "RXO|PARA500^Paracetamol 500 mg tablet^L|500||mg|TAB^Tablet|^1 tablet three times a day after meals|||||30|TAB^Tablet|2",
                "RXR|PO^Oral^HL70162");
        Bundle.BundleEntryComponent entry = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof MedicationRequest)
                .findFirst()
                .orElseThrow();
        assertThat(entry.getRequest().getUrl())
                .startsWith("MedicationRequest?identifier=")
                .endsWith("RX-77");
        MedicationRequest request = (MedicationRequest) entry.getResource();
        assertThat(request.getStatus()).isEqualTo(MedicationRequest.MedicationRequestStatus.ACTIVE);
        assertThat(request.getMedicationCodeableConcept().getCodingFirstRep().getCode())
                .as("RXO-1")
                .isEqualTo("PARA500");
        assertThat(request.getDosageInstructionFirstRep().getText())
                .as("RXO-6")
                .isEqualTo("1 tablet three times a day after meals");
        assertThat(request.getDosageInstructionFirstRep()
                        .getDoseAndRateFirstRep()
                        .getDoseQuantity()
                        .getValue())
                .as("RXO-2")
                .isEqualByComparingTo("500");
        assertThat(request.getDosageInstructionFirstRep()
                        .getRoute()
                        .getCodingFirstRep()
                        .getCode())
                .as("RXR-1")
                .isEqualTo("PO");
        assertThat(request.getDispenseRequest().getQuantity().getValue())
                .as("RXO-11")
                .isEqualByComparingTo("30");
        assertThat(request.getDispenseRequest().getNumberOfRepeatsAllowed())
                .as("RXO-13")
                .isEqualTo(2);
        assertThat(request.getAuthoredOnElement().getValueAsString())
                .as("ORC-9")
                .startsWith("2024-03-15T09:00");
        assertThat(issuesAt(result, "ORC[1]")).as("the ORC belongs to the RXO").isEmpty();
    }

    @Test
    void aDiscontinuedPharmacyOrderIsStopped() {
        MedicationRequest request = only(
                map("ORM^O01", PID, "ORC|DC|RX-77", "RXO|PARA500^Paracetamol 500 mg tablet^L|500||mg"),
                MedicationRequest.class);
        assertThat(request.getStatus()).isEqualTo(MedicationRequest.MedicationRequestStatus.STOPPED);
    }

    @Test
    void anOrderWithoutAnyOrderNumberIsKeptWithAWarning() {
        MappingResult result = map("ORM^O01", PID, "ORC|NW", "OBR|1|||CBC^Complete blood count^L");
        assertThat(resources(result, ServiceRequest.class)).hasSize(1);
        assertThat(issuesAt(result, "OBR[1]-2")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void anOmlOrderCarriesItsTimingAndItsSpecimen() {
        MappingResult result = map(
                "OML^O21^OML_O21",
                PID,
                "ORC|NW|P-90",
                "TQ1|1||||||20240316080000||A",
                "OBR|1|P-90||GLU^Glucose fasting^L",
                "SPM|1|SP-1&MAYO^SP-1F&LAB||SER^Serum^HL70487|||||||||||||20240316081500");
        ServiceRequest sr = only(result, ServiceRequest.class);
        assertThat(sr.getPriority()).as("TQ1-9 A").isEqualTo(ServiceRequestPriority.ASAP);
        assertThat(sr.getOccurrenceDateTimeType().getValueAsString())
                .as("TQ1-7")
                .startsWith("2024-03-16T08:00");
        Specimen specimen = only(result, Specimen.class);
        assertThat(specimen.getIdentifier())
                .extracting(i -> i.getValue())
                .as("SPM-2")
                .containsExactly("SP-1F", "SP-1");
        assertThat(specimen.getType().getCodingFirstRep().getCode()).as("SPM-4").isEqualTo("SER");
        assertThat(specimen.getCollection().getCollectedDateTimeType().getValueAsString())
                .as("SPM-17")
                .startsWith("2024-03-16T08:15");
        assertThat(specimen.getRequestFirstRep().getReference()).as("request").isNotNull();
    }

    @Test
    void anOulResultReadsItsOrcAfterTheObrAndLinksTheSpecimenFirst() {
        MappingResult result = map(
                "OUL^R22^OUL_R22",
                PID,
                "SPM|1|^S-9||BLD^Whole blood^HL70487",
                "OBR|1|P-5|F-5|CBC^Complete blood count^L|||20240314100000|||||||||||||||||HM|F",
                "ORC|SC|P-5|F-5||CM||||20240314093000",
                "OBX|1|NM|HB^Haemoglobin^L||10.2|g/dL|||||F");
        DiagnosticReport report = only(result, DiagnosticReport.class);
        Observation hb = only(result, Observation.class);
        ServiceRequest order = only(result, ServiceRequest.class);
        assertThat(report.getSpecimen()).as("SPM before OBR").hasSize(1);
        assertThat(hb.getSpecimen().getReference())
                .isEqualTo(report.getSpecimenFirstRep().getReference());
        assertThat(hb.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(order.getStatus()).as("ORC-5 CM after OBR").isEqualTo(ServiceRequestStatus.COMPLETED);
        assertThat(order.getAuthoredOnElement().getValueAsString())
                .as("ORC-9 after OBR")
                .startsWith("2024-03-14T09:30");
        assertThat(issuesAt(result, "ORC[1]")).as("the ORC is not an orphan").isEmpty();
    }

    @Test
    void anOruSpecimenBelongsToTheObrBeforeIt() {
        MappingResult result = map(
                "ORU^R01",
                PID,
                "ORC|RE|P-1|F-1",
                "OBR|1|P-1|F-1|CBC^Complete blood count^L|||20240514083000|||||||||||||||||HM|F",
                "OBX|1|NM|HB^Haemoglobin^L||10.2|g/dL|||||F",
                "SPM|1|^S-1||BLD");
        DiagnosticReport report = only(result, DiagnosticReport.class);
        Specimen specimen = only(result, Specimen.class);
        assertThat(report.getSpecimen()).hasSize(1);
        assertThat(specimen.getRequestFirstRep().getReference())
                .as("the ORU's order")
                .isEqualTo(report.getBasedOnFirstRep().getReference());
    }

    @Test
    void anUnknownPriorityIsLeftOutWithAWarning() {
        MappingResult result = map("ORM^O01", PID, "ORC|NW|P-77", "OBR|1|P-77||CBC^Complete blood count^L|Q");
        assertThat(only(result, ServiceRequest.class).hasPriority()).isFalse();
        assertThat(issuesAt(result, "OBR[1]-5")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void everyOrderInAnOrmIsMapped() {
        MappingResult result =
                map("ORM^O01", PID, "ORC|NW|P-1", "OBR|1|P-1||CBC^CBC^L", "ORC|NW|P-2", "OBR|2|P-2||GLU^Glucose^L");
        List<ServiceRequest> orders = resources(result, ServiceRequest.class);
        assertThat(orders)
                .extracting(o -> o.getCode().getCodingFirstRep().getCode())
                .containsExactly("CBC", "GLU");
    }

    @Test
    void anAnswerGivenWithTheOrderIsAnObservationTheOrderNamesAsSupportingInfo() {
        MappingResult result = map(
                "OML^O21^OML_O21",
                PID,
                "ORC|NW|P-91",
                "OBR|1|P-91||GLU^Glucose fasting^L",
                "OBX|1|CWE|FAST^Fasting^L||Y^Yes^HL70136||||||F");
        ServiceRequest order = only(result, ServiceRequest.class);
        Observation fasting = only(result, Observation.class);
        assertThat(fasting.getCode().getCodingFirstRep().getCode()).isEqualTo("FAST");
        assertThat(order.getSupportingInfo())
                .singleElement()
                .satisfies(ref -> assertThat(ref.getReference()).startsWith("urn:uuid:"));
        assertThat(fasting.getIdentifierFirstRep().getValue()).isEqualTo("placer:P-91-aoe-1");
    }
}
