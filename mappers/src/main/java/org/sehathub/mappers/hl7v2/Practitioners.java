package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.Locale;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.PmdcNormalizer;

/**
 * XCN (a doctor named in PV1-7, ORC-12, RXA-10, AIP-3...) to a Practitioner entry.
 *
 * <p>XCN-1 is a PMDC registration number when XCN-9 (assigning authority) or XCN-13 (identifier
 * type) says PMDC, otherwise a staff number scoped to the assigning authority or the sending
 * facility. With an id the Practitioner is created only if no Practitioner has that identifier
 * (the hub's practitioner directory stays the authority for details); without one, it gets an id
 * derived from facility and name so the same name from the same facility is one resource.
 */
final class Practitioners {

    private final Hl7Context ctx;

    Practitioners(Hl7Context ctx) {
        this.ctx = ctx;
    }

    /** A reference to the practitioner, or null when the XCN is empty. */
    Reference reference(Type xcn, String location) {
        if (xcn == null || V2.isEmpty(xcn)) {
            return null;
        }
        String id = V2.component(xcn, 1);
        Practitioner p = new Practitioner();
        HumanName name = nameOf(xcn);
        if (name != null) {
            p.addName(name);
        }
        String authority = V2.subcomponent(xcn, 9, 1);
        String idType = V2.component(xcn, 13);
        Identifier identifier = null;
        if (id != null) {
            boolean pmdc = "PMDC".equalsIgnoreCase(authority) || "PMDC".equalsIgnoreCase(idType);
            if (pmdc) {
                try {
                    identifier = new Identifier().setSystem(NamingSystems.PMDC).setValue(PmdcNormalizer.normalize(id));
                } catch (NormalizationException e) {
                    ctx.warning(location + ".1", "PMDC number '" + id + "' kept as a staff number: " + e.getReason());
                }
            }
            if (identifier == null) {
                identifier = new Identifier()
                        .setSystem(Hl7v2Systems.practitioner(authority != null && !pmdc ? authority : ctx.facility))
                        .setValue(id);
            }
            p.addIdentifier(identifier);
        }
        if (identifier == null && name == null) {
            ctx.warning(location, "practitioner has neither id nor name; not mapped");
            return null;
        }
        String ref;
        if (identifier != null) {
            ref = ctx.bundle.conditionalCreate(
                    p, Hl7Context.identifierQuery(identifier.getSystem(), identifier.getValue()));
        } else {
            ref = ctx.bundle.update(
                    p,
                    TransactionBundleBuilder.deterministicId(
                            "Practitioner",
                            ctx.facility,
                            name.getNameAsSingleString().toLowerCase(Locale.ROOT)));
        }
        Reference reference = new Reference(ref);
        if (name != null) {
            reference.setDisplay(name.getNameAsSingleString());
        }
        return reference;
    }

    /** XCN .2 family, .3 given, .4 middle, .5 suffix, .6 prefix (Dr). */
    private static HumanName nameOf(Type xcn) {
        String family = V2.subcomponent(xcn, 2, 1);
        String given = V2.component(xcn, 3);
        String middle = V2.component(xcn, 4);
        if (family == null && given == null) {
            return null;
        }
        HumanName name = new HumanName().setFamily(family);
        if (given != null) {
            name.addGiven(given);
        }
        if (middle != null) {
            name.addGiven(middle);
        }
        if (V2.component(xcn, 5) != null) {
            name.addSuffix(V2.component(xcn, 5));
        }
        if (V2.component(xcn, 6) != null) {
            name.addPrefix(V2.component(xcn, 6));
        }
        return org.sehathub.mappers.normalize.NameNormalizer.normalize(name);
    }
}
