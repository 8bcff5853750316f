package org.sehathub.mappers.hl7v2;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.TransactionBundleBuilder;

/**
 * ADT^A24 (link patient information) and ADT^A37 (unlink patient information): the facility says
 * that the records of its two PIDs are one person, or are not after all. Mapped, for each of the two
 * records, to a conditional PATCH (FHIRPath Patch) of that record:
 *
 * <ul>
 *   <li>A24 adds {@code link = {type: seealso, other: <the other record, with its identifier>}}
 *       (the server keeps one such link per other record);
 *   <li>A37 removes the {@code seealso} link whose {@code other.identifier} is the other record's
 *       (through the {@link NamingSystems#UNLINK} extension, which the server applies).
 * </ul>
 *
 * Each PID is also a Patient created if the hub does not have it (as for any non-registration
 * event), so the link has both ends. The server's patient linking follows these links
 * (docs/mpi.md, "What facilities say").
 */
final class PatientLinkMapper {

    private record End(Subject subject, Identifier key, String label) {}

    private final List<End> ends = new ArrayList<>();

    /** One PID of the message. */
    void pid(Subject subject, Identifier key, SegmentRef pid) {
        ends.add(new End(subject, key, pid.label()));
    }

    /** The two PATCH entries; the message must name exactly two patients. */
    List<Bundle.BundleEntryComponent> patches(String event) {
        if (ends.size() != 2) {
            throw new MappingException(
                    MappingIssue.Kind.MISSING,
                    "PID",
                    "ADT^" + event + " must name two patients (two PID segments); it names " + ends.size());
        }
        End first = ends.get(0);
        End second = ends.get(1);
        if (first.key().getSystem().equals(second.key().getSystem())
                && first.key().getValue().equals(second.key().getValue())) {
            throw new MappingException(second.label(), "both PID segments name the same patient");
        }
        boolean link = event.equals("A24");
        return List.of(patch(first, second, link, event), patch(second, first, link, event));
    }

    private static Bundle.BundleEntryComponent patch(End self, End other, boolean link, String event) {
        Parameters patch = new Parameters();
        Parameters.ParametersParameterComponent operation = patch.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType("add"));
        operation.addPart().setName("path").setValue(new StringType("Patient"));
        if (link) {
            operation.addPart().setName("name").setValue(new StringType("link"));
            Parameters.ParametersParameterComponent value = operation.addPart().setName("value");
            value.addPart()
                    .setName("other")
                    .setValue(new Reference(other.subject().patientRef())
                            .setIdentifier(other.key().copy()));
            value.addPart().setName("type").setValue(new CodeType("seealso"));
        } else {
            // FHIRPath Patch as HAPI 8.8 applies it cannot delete the one link whose
            // other.identifier is the other record's (a nested path in where() matches nothing):
            // the unlink is an extension the server acts on and drops before storing.
            operation.addPart().setName("name").setValue(new StringType("extension"));
            Parameters.ParametersParameterComponent marker = operation.addPart().setName("value");
            marker.addPart().setName("url").setValue(new UriType(NamingSystems.UNLINK));
            marker.addPart().setName("valueIdentifier").setValue(other.key().copy());
        }
        String query =
                Hl7Context.identifierQuery(self.key().getSystem(), self.key().getValue());
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
        entry.setFullUrl("urn:uuid:"
                + TransactionBundleBuilder.deterministicId(
                        "Patient-" + event, query, other.subject().patientKey()));
        entry.setResource(patch);
        entry.getRequest().setMethod(HTTPVerb.PATCH).setUrl("Patient?" + query);
        return entry;
    }
}
