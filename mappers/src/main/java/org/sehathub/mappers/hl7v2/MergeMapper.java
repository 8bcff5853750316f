package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * MRG of ADT^A40 (merge patient, patient identifier list), and of A34 and A39 (the older merge
 * events, mapped the same way), to a Patient merge, FHIR R4 style.
 *
 * <p>What the Bundle says, for the survivor named in PID and each prior identifier in MRG-1:
 *
 * <ol>
 *   <li>the surviving Patient (PUT {@code Patient?identifier=<survivor MRN>}) carries
 *       {@code link = {type: replaces, other: {identifier: <prior identifier>}}}, a logical
 *       reference because the prior record may be unknown to the hub;
 *   <li>a conditional PATCH {@code Patient?identifier=<prior identifier>} (FHIRPath Patch) sets
 *       {@code active = false} on the prior record and adds {@code link = {type: replaced-by,
 *       other: <survivor>}}. Nothing else of the prior record changes and nothing is deleted:
 *       its clinical resources keep pointing at it and are found through the link.
 * </ol>
 *
 * <p>The server applies this as an ordinary transaction. If no Patient has the prior identifier,
 * the conditional PATCH fails and with it the transaction: the hub cannot merge a record it does
 * not have, and the sender gets a precise error (see docs/ingest/hl7v2.md).
 */
final class MergeMapper {

    private final Hl7Context ctx;
    private final List<Bundle.BundleEntryComponent> patches = new ArrayList<>();

    MergeMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    void mrg(SegmentRef mrg, Patient survivor, Subject subject) {
        if (survivor == null) {
            throw new MappingException(
                    MappingIssue.Kind.MISSING, mrg.label(), "MRG without a PID naming the surviving patient");
        }
        // MRG-1 prior patient identifier list; A39 senders may name the prior person in MRG-4 only.
        int field = V2.reps(mrg.segment(), 1).isEmpty()
                        && !V2.reps(mrg.segment(), 4).isEmpty()
                ? 4
                : 1;
        List<Type> priors = V2.reps(mrg.segment(), field);
        if (priors.isEmpty()) {
            throw new MappingException(MappingIssue.Kind.MISSING, mrg.at(1), "prior patient identifier list is empty");
        }
        for (int i = 0; i < priors.size(); i++) {
            Type cx = priors.get(i);
            String location = mrg.at(field, i + 1);
            String value = V2.component(cx, 1);
            if (value == null) {
                throw new MappingException(MappingIssue.Kind.MISSING, location, "prior identifier without a value");
            }
            String authority = Datatypes.authority(cx);
            String type =
                    V2.component(cx, 5) == null ? null : V2.component(cx, 5).toUpperCase(Locale.ROOT);
            Identifier prior;
            if ("NI".equals(type) || "NNPAK".equals(type) || "NADRA".equalsIgnoreCase(authority)) {
                try {
                    prior = Cnic.parse(value).toIdentifier();
                } catch (NormalizationException e) {
                    throw new MappingException(location, "prior CNIC " + value + " is invalid: " + e.getReason());
                }
            } else {
                prior = new Identifier()
                        .setSystem(NamingSystems.mrn(authority != null ? authority : ctx.facility))
                        .setValue(value);
            }
            if (survivor.getIdentifier().stream()
                    .anyMatch(id -> prior.getSystem().equals(id.getSystem())
                            && prior.getValue().equals(id.getValue()))) {
                throw new MappingException(location, "prior identifier " + value + " is also the surviving patient's");
            }
            survivor.addLink()
                    .setType(Patient.LinkType.REPLACES)
                    .setOther(new Reference().setIdentifier(prior.copy()).setDisplay("merged record " + value));
            patches.add(patch(prior, subject));
        }
        ctx.reportUnmappedFields(mrg, List.of(1, field));
    }

    /** The PATCH entries, appended after the builder's entries. */
    List<Bundle.BundleEntryComponent> patches() {
        return patches;
    }

    private Bundle.BundleEntryComponent patch(Identifier prior, Subject subject) {
        Parameters patch = new Parameters();
        // delete + add rather than replace: replace fails when the prior record has no active flag.
        Parameters.ParametersParameterComponent clear = patch.addParameter().setName("operation");
        clear.addPart().setName("type").setValue(new CodeType("delete"));
        clear.addPart().setName("path").setValue(new StringType("Patient.active"));
        Parameters.ParametersParameterComponent active = patch.addParameter().setName("operation");
        active.addPart().setName("type").setValue(new CodeType("add"));
        active.addPart().setName("path").setValue(new StringType("Patient"));
        active.addPart().setName("name").setValue(new StringType("active"));
        active.addPart().setName("value").setValue(new BooleanType(false));
        Parameters.ParametersParameterComponent link = patch.addParameter().setName("operation");
        link.addPart().setName("type").setValue(new CodeType("add"));
        link.addPart().setName("path").setValue(new StringType("Patient"));
        link.addPart().setName("name").setValue(new StringType("link"));
        Parameters.ParametersParameterComponent value = link.addPart().setName("value");
        value.addPart().setName("other").setValue(subject.patient());
        value.addPart().setName("type").setValue(new CodeType("replaced-by"));
        String query = Hl7Context.identifierQuery(prior.getSystem(), prior.getValue());
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
        entry.setFullUrl("urn:uuid:"
                + org.sehathub.mappers.TransactionBundleBuilder.deterministicId(
                        "Patient-merge", query, subject.patientKey()));
        entry.setResource(patch);
        entry.getRequest().setMethod(HTTPVerb.PATCH).setUrl("Patient?" + query);
        return entry;
    }
}
