package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.PID;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DocumentReference.DocumentRelationshipType;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingResult;

/** MDM^T02 (and the events of its structure) to DocumentReference, field by field. */
class DocumentMappingTest {

    private static final String TXA =
            "TXA|1|DS^Discharge summary|TX|20240315100000||20240315113000|||D-12^Iqbal^Sana^^^Dr.|||DOC-881^MAYO||||discharge-881.txt|AU||AV";

    private static MappingResult mdm(String event, String txa, String... obx) {
        String[] segments = new String[obx.length + 4];
        segments[0] = "EVN|" + event + "|20240315113000";
        segments[1] = PID;
        segments[2] = "PV1|1|I|W4^12^B^Mayo||||||||||||||||V-9";
        segments[3] = txa;
        System.arraycopy(obx, 0, segments, 4, obx.length);
        return map("MDM^" + event + "^MDM_T02", segments);
    }

    @Test
    void textContentBecomesOnePlainTextAttachmentOfTheDocumentMatchedOnItsNumber() {
        MappingResult result =
                mdm("T02", TXA, "OBX|1|TX|||Admitted with fever.", "OBX|2|TX|||Discharged well, review in 2 weeks.");
        Bundle.BundleEntryComponent entry = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof DocumentReference)
                .findFirst()
                .orElseThrow();
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl())
                .startsWith("DocumentReference?identifier=")
                .contains("document")
                .endsWith("DOC-881");
        DocumentReference d = (DocumentReference) entry.getResource();
        assertThat(d.getMasterIdentifier().getValue()).as("TXA-12").isEqualTo("DOC-881");
        assertThat(d.getType().getCodingFirstRep().getSystem())
                .as("TXA-2")
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0270");
        assertThat(d.getType().getCodingFirstRep().getCode()).isEqualTo("DS");
        assertThat(d.getStatus()).as("TXA-19 AV").isEqualTo(DocumentReferenceStatus.CURRENT);
        assertThat(d.getDocStatus()).as("TXA-17 AU").isEqualTo(DocumentReference.ReferredDocumentStatus.FINAL);
        assertThat(d.getAuthor()).as("TXA-9").hasSize(1);
        assertThat(d.getContext().getEncounterFirstRep().getReference())
                .as("PV1")
                .isNotNull();
        assertThat(d.getContent()).singleElement().satisfies(c -> {
            assertThat(c.getAttachment().getContentType()).isEqualTo("text/plain");
            assertThat(new String(c.getAttachment().getData(), StandardCharsets.UTF_8))
                    .isEqualTo("Admitted with fever.\nDischarged well, review in 2 weeks.");
            assertThat(c.getAttachment().getTitle()).as("TXA-16").isEqualTo("discharge-881.txt");
        });
    }

    @Test
    void base64ContentIsKeptWithTheTypeItsSubtypeNames() {
        byte[] pdf = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
        MappingResult result = mdm(
                "T02", TXA, "OBX|1|ED|||^AP^PDF^Base64^" + Base64.getEncoder().encodeToString(pdf));
        DocumentReference d = only(result, DocumentReference.class);
        assertThat(d.getContentFirstRep().getAttachment().getContentType()).isEqualTo("application/pdf");
        assertThat(d.getContentFirstRep().getAttachment().getData()).isEqualTo(pdf);
    }

    @Test
    void contentThatCannotBeDecodedIsReportedAndADocumentWithNothingElseRefused() {
        assertThatThrownBy(() -> mdm("T02", TXA, "OBX|1|ED|||^AP^PDF^Base64^not*base64!"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("OBX"));
    }

    @Test
    void aDocumentWithoutContentIsRefused() {
        assertThatThrownBy(() -> mdm("T02", TXA))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("no document content");
    }

    @Test
    void anMdmWithoutTxaIsRefused() {
        assertThatThrownBy(() -> map("MDM^T02^MDM_T02", PID, "OBX|1|TX|||text"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("TXA"));
    }

    @Test
    void anAddendumAppendsToItsParentAndAReplacementReplacesIt() {
        String child = TXA.replace("DOC-881^MAYO|", "DOC-882^MAYO|DOC-881^MAYO");
        DocumentReference addendum = only(mdm("T06", child, "OBX|1|TX|||Addendum."), DocumentReference.class);
        assertThat(addendum.getRelatesToFirstRep().getCode()).isEqualTo(DocumentRelationshipType.APPENDS);
        assertThat(addendum.getRelatesToFirstRep().getTarget().getIdentifier().getValue())
                .as("TXA-13")
                .isEqualTo("DOC-881");
        DocumentReference replacement = only(mdm("T10", child, "OBX|1|TX|||Corrected."), DocumentReference.class);
        assertThat(replacement.getRelatesToFirstRep().getCode()).isEqualTo(DocumentRelationshipType.REPLACES);
    }

    @Test
    void aCancelledDocumentIsEnteredInError() {
        DocumentReference d =
                only(mdm("T04", TXA.replaceFirst("\\|AV$", "|CA"), "OBX|1|TX|||text"), DocumentReference.class);
        assertThat(d.getStatus()).as("TXA-19 CA").isEqualTo(DocumentReferenceStatus.ENTEREDINERROR);
    }

    @Test
    void aDocumentTypeOutsideTable0270StaysLocal() {
        MappingResult result =
                mdm("T02", TXA.replace("DS^Discharge summary", "REF^Referral letter"), "OBX|1|TX|||text");
        DocumentReference d = only(result, DocumentReference.class);
        assertThat(d.getType().getCodingFirstRep().getSystem()).doesNotContain("v2-0270");
        assertThat(d.getType().getCodingFirstRep().getCode()).isEqualTo("REF");
    }

    @Test
    void aDocumentWithoutNumberIsKeptWithAWarning() {
        MappingResult result = mdm("T02", TXA.replace("DOC-881^MAYO", ""), "OBX|1|TX|||text");
        assertThat(only(result, DocumentReference.class).hasMasterIdentifier()).isFalse();
        assertThat(issuesAt(result, "TXA-12")).singleElement().asString().startsWith("WARNING");
    }
}
