package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;

import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingResult;

/** ORC, OBR, OBX and NTE of ORU^R01 field by field. */
class ResultMappingTest {

    private static final String ORC = "ORC|RE|P-1|F-1||CM";
    private static final String OBR = "OBR|1|P-1|F-1|CBC^Complete blood count^L|||20240514083000|||||||||||||||||HM|F";

    private static MappingResult oru(String... obx) {
        String[] segments = new String[obx.length + 3];
        segments[0] = PID;
        segments[1] = ORC;
        segments[2] = OBR;
        System.arraycopy(obx, 0, segments, 3, obx.length);
        return map("ORU^R01", segments);
    }

    private static Observation observation(String obx) {
        return only(oru(obx), Observation.class);
    }

    @Test
    void mapsObx5NumericWithObx6UnitToUcum() {
        Observation o = observation("OBX|1|NM|HB^Haemoglobin^L||10.2|g/dl|||||F");
        assertThat(o.getValueQuantity().getValue()).as("OBX-5").isEqualByComparingTo("10.2");
        assertThat(o.getValueQuantity().getCode()).as("OBX-6 UCUM").isEqualTo("g/dL");
        assertThat(o.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
    }

    @Test
    void enrichesALocalObx3CodeWithLoinc() {
        Observation o = observation("OBX|1|NM|HB^Haemoglobin^L||10.2|g/dl|||||F");
        assertThat(o.getCode().getCoding())
                .extracting(c -> c.getCode())
                .as("OBX-3")
                .containsExactly("HB", "718-7");
    }

    @Test
    void mapsObx7RangeToLowAndHighInTheValueUnit() {
        Observation o = observation("OBX|1|NM|HB^Haemoglobin^L||10.2|g/dL|12.0 - 15.5||||F");
        assertThat(o.getReferenceRangeFirstRep().getLow().getValue())
                .as("OBX-7 low")
                .isEqualByComparingTo("12.0");
        assertThat(o.getReferenceRangeFirstRep().getHigh().getValue())
                .as("OBX-7 high")
                .isEqualByComparingTo("15.5");
        assertThat(o.getReferenceRangeFirstRep().getHigh().getCode()).isEqualTo("g/dL");
    }

    @Test
    void keepsAnUnparsableObx7AsText() {
        Observation o = observation("OBX|1|NM|HB^Haemoglobin^L||10.2|g/dL|adult female: 12-15.5||||F");
        assertThat(o.getReferenceRangeFirstRep().getText()).as("OBX-7").isEqualTo("adult female: 12-15.5");
        assertThat(o.getReferenceRangeFirstRep().hasLow()).isFalse();
    }

    @Test
    void mapsObx8AbnormalFlagsToInterpretation() {
        Observation o = observation("OBX|1|NM|HB^Haemoglobin^L||6.1|g/dL||LL~A|||F");
        assertThat(o.getInterpretation())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .as("OBX-8")
                .containsExactly("LL", "A");
    }

    @Test
    void warnsAboutAnObx8FlagOutsideTable0078() {
        MappingResult result = oru("OBX|1|NM|HB^Haemoglobin^L||6.1|g/dL||ZZ|||F");
        assertThat(issuesAt(result, "OBX[1]-8")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void mapsObx11ResultStatus() {
        assertThat(observation("OBX|1|NM|HB^Hb^L||6|g/dL|||||C").getStatus())
                .as("OBX-11 C")
                .isEqualTo(ObservationStatus.CORRECTED);
        assertThat(observation("OBX|1|NM|HB^Hb^L||6|g/dL|||||P").getStatus())
                .as("OBX-11 P")
                .isEqualTo(ObservationStatus.PRELIMINARY);
        assertThat(observation("OBX|1|NM|HB^Hb^L||6|g/dL|||||W").getStatus())
                .as("OBX-11 W")
                .isEqualTo(ObservationStatus.ENTEREDINERROR);
    }

    @Test
    void setsUnknownStatusAndWarnsWhenObx11IsEmpty() {
        MappingResult result = oru("OBX|1|NM|HB^Hb^L||6|g/dL");
        assertThat(only(result, Observation.class).getStatus()).isEqualTo(ObservationStatus.UNKNOWN);
        assertThat(issuesAt(result, "OBX[1]-11")).hasSize(1);
    }

    @Test
    void mapsObx5StructuredNumericComparatorRatioAndRange() {
        assertThat(observation("OBX|1|SN|RBS^RBS^L||>^400|mg/dL|||||F")
                        .getValueQuantity()
                        .getComparator()
                        .toCode())
                .as("OBX-5 SN >")
                .isEqualTo(">");
        assertThat(observation("OBX|1|SN|WIDAL^Widal^L||^1^:^160||||||F")
                        .getValueRatio()
                        .getDenominator()
                        .getValue())
                .as("OBX-5 SN ratio")
                .isEqualByComparingTo("160");
        assertThat(observation("OBX|1|SN|X^X^L||^2^-^4|/HPF|||||F")
                        .getValueRange()
                        .getHigh()
                        .getValue())
                .as("OBX-5 SN range")
                .isEqualByComparingTo("4");
    }

    @Test
    void mapsObx5CodedValue() {
        Observation o = observation("OBX|1|CWE|MALRDT^Malaria RDT^L||NEG^Negative^L||||||F");
        assertThat(o.getValueCodeableConcept().getCodingFirstRep().getCode())
                .as("OBX-5 CWE")
                .isEqualTo("NEG");
    }

    @Test
    void mapsObx5TextWithLineBreaks() {
        Observation o = observation("OBX|1|TX|NOTE^Comment^L||line one\\.br\\line two~line three||||||F");
        assertThat(o.getValueStringType().getValue()).as("OBX-5 TX").isEqualTo("line one\nline two\nline three");
    }

    @Test
    void mapsObx5DateAtDayPrecision() {
        assertThat(observation("OBX|1|DT|LMP^Last menstrual period^L||20240401||||||F")
                        .getValueDateTimeType()
                        .getValueAsString())
                .as("OBX-5 DT")
                .isEqualTo("2024-04-01");
    }

    @Test
    void keepsANonNumericNmAsTextWithAWarning() {
        MappingResult result = oru("OBX|1|NM|HB^Hb^L||haemolysed|g/dL|||||F");
        assertThat(only(result, Observation.class).getValueStringType().getValue())
                .isEqualTo("haemolysed");
        assertThat(issuesAt(result, "OBX[1]-5")).hasSize(1);
    }

    @Test
    void keepsAnUnmappedObx2ValueTypeAsTextWithAWarning() {
        MappingResult result = oru("OBX|1|XAD|ADDR^Address given^L||12 Mall Road^^Lahore||||||F");
        assertThat(issuesAt(result, "OBX[1]-2")).singleElement().asString().contains("value type XAD is not mapped");
    }

    @Test
    void mapsObr25ToReportStatusAndLinksEveryResult() {
        MappingResult result = oru("OBX|1|NM|HB^Hb^L||6|g/dL|||||F", "OBX|2|NM|PLT^Plt^L||150|10*9/L|||||F");
        DiagnosticReport report = only(result, DiagnosticReport.class);
        assertThat(report.getStatus().toCode()).as("OBR-25").isEqualTo("final");
        assertThat(report.getResult()).hasSize(2);
        assertThat(report.getCategoryFirstRep().getCodingFirstRep().getCode())
                .as("OBR-24")
                .isEqualTo("HM");
    }

    @Test
    void keysTheReportOnTheFillerOrderNumberAndEachObservationOnItsSetId() {
        MappingResult result = oru("OBX|1|NM|HB^Hb^L||6|g/dL|||||F");
        assertThat(result.bundle().getEntry())
                .extracting(e -> e.getRequest().getUrl())
                .contains(
                        "DiagnosticReport?identifier=https://fhir.sehathub.pk/sid/filler-order/mayo-hospital-lahore%7CF-1",
                        "Observation?identifier=https://fhir.sehathub.pk/sid/observation/mayo-hospital-lahore%7Cfiller%3AF-1-1");
    }

    @Test
    void mapsOrcOrderNumbersToServiceRequestIdentifiers() {
        ServiceRequest sr = only(oru("OBX|1|NM|HB^Hb^L||6|g/dL|||||F"), ServiceRequest.class);
        assertThat(sr.getIdentifier())
                .extracting(i -> i.getType().getCodingFirstRep().getCode() + " " + i.getValue())
                .as("ORC-2, ORC-3")
                .containsExactly("PLAC P-1", "FILL F-1");
        assertThat(sr.getStatus().toCode()).as("ORC-5 CM").isEqualTo("completed");
    }

    @Test
    void warnsWhenNeitherOrderNumberIsSent() {
        MappingResult result =
                map("ORU^R01", PID, "OBR|1|||CBC^CBC^L|||||||||||||||||||||F", "OBX|1|NM|HB^Hb^L||6|g/dL|||||F");
        assertThat(issuesAt(result, "OBR[1]-3")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void mapsNteAfterObxToAnObservationNote() {
        Observation o = only(
                oru("OBX|1|NM|HB^Hb^L||6|g/dL|||||F", "NTE|1||Sample haemolysed; repeat advised."), Observation.class);
        assertThat(o.getNoteFirstRep().getText()).as("NTE-3").isEqualTo("Sample haemolysed; repeat advised.");
    }

    @Test
    void mapsObxInAnAdtToAnExamObservationOfTheVisit() {
        Observation o = only(
                map("ADT^A01", PID, "PV1|1|I|||||||||||||||||V-1", "OBX|1|NM|29463-7^Body weight^LN||72|kg|||||F"),
                Observation.class);
        assertThat(o.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("exam");
        assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo("visit:V-1-1");
    }

    @Test
    void aPdfReportInAnEdObxIsTheReportsPresentedFormNotAnObservation() {
        String pdf = java.util.Base64.getEncoder()
                .encodeToString("%PDF-1.4 report".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        MappingResult result = oru(
                "OBX|1|NM|HB^Haemoglobin^L||10.2|g/dL|||||F",
                "OBX|2|ED|PDF^Report^L||LAB^AP^PDF^Base64^" + pdf + "||||||F",
                "OBX|3|RP|LINK^Report link^L||https://lis.example.pk/r/881^LIS^AP^PDF||||||F");
        DiagnosticReport report = only(result, DiagnosticReport.class);
        assertThat(report.getPresentedForm())
                .extracting(a -> a.getContentType())
                .containsExactly("application/pdf", "application/pdf");
        assertThat(report.getPresentedForm().get(0).getData()).asString().startsWith("%PDF-1.4");
        assertThat(report.getPresentedForm().get(0).getTitle()).as("OBX-3.2").isEqualTo("Report");
        assertThat(report.getPresentedForm().get(1).getUrl()).isEqualTo("https://lis.example.pk/r/881");
        assertThat(only(result, Observation.class).getCode().getCodingFirstRep().getCode())
                .as("only the result")
                .isEqualTo("HB");
    }

    @Test
    void aPlainValueTypedEdIsKeptAsAResultNotDropped() {
        // As a US lab sample sends it: a calcium result of 109 typed ED.
        Observation o = only(oru("OBX|1|ED|2000-8^Calcium (total)^LN||109|mmol/L|||||F"), Observation.class);
        assertThat(o.getValueStringType().getValue()).isEqualTo("109");
    }

    @Test
    void anEdObxThatCannotBeDecodedIsReportedAndNothingElseIsLost() {
        MappingResult result = oru("OBX|1|ED|PDF^Report^L||LAB^AP^PDF^Base64^not*base64!||||||F");
        assertThat(only(result, DiagnosticReport.class).hasPresentedForm()).isFalse();
        assertThat(issuesAt(result, "OBX[1]-5")).singleElement().asString().startsWith("WARNING");
    }
}
