package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.Locale;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.AddressNormalizer;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.NameNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.PhoneNormalizer;
import org.sehathub.mappers.terminology.CodingSystems;

/**
 * HL7 v2 datatypes to FHIR datatypes, after the v2-to-FHIR guide's datatype maps (CWE[CodeableConcept],
 * XPN[HumanName], XAD[Address], XTN[ContactPoint], PL[Location], DTM[dateTime]), with Sehat Hub's
 * normalization applied. Problems are reported on the context with the location given.
 */
final class Datatypes {

    private final Hl7Context ctx;

    Datatypes(Hl7Context ctx) {
        this.ctx = ctx;
    }

    /**
     * CWE (and CE, CNE) to CodeableConcept: the primary (.1-.3) and alternate (.4-.6) codes become
     * codings, coding-system names through {@link CodingSystems}; codes in a local or unnamed system
     * keep their code under the facility's local code system; .9 original text becomes the text.
     * When {@code mapName} is given, a standard coding is added from that terminology map.
     *
     * @return null when the value is empty
     */
    CodeableConcept concept(Type cwe, String mapName) {
        if (cwe == null || V2.isEmpty(cwe)) {
            return null;
        }
        CodeableConcept cc = new CodeableConcept();
        addCoding(cc, V2.component(cwe, 1), V2.component(cwe, 2), V2.component(cwe, 3));
        addCoding(cc, V2.component(cwe, 4), V2.component(cwe, 5), V2.component(cwe, 6));
        String originalText = V2.component(cwe, 9);
        if (originalText != null) {
            cc.setText(originalText);
        } else if (!cc.hasCoding() && V2.component(cwe, 2) != null) {
            // Text without a code ("^Fever"): the text is all there is.
            cc.setText(V2.component(cwe, 2));
        }
        if (!cc.hasCoding() && !cc.hasText()) {
            return null;
        }
        if (mapName != null) {
            ctx.terminology.enrich(cc, mapName);
        }
        return cc;
    }

    private void addCoding(CodeableConcept cc, String code, String display, String systemName) {
        if (code == null) {
            return;
        }
        String system = system(systemName);
        if (V2Tables.isKnown(system)) {
            // A table value as the table writes it, or, when the table does not define it, a local code.
            String canonical = V2Tables.canonical(code);
            if (V2Tables.defines(system, canonical)) {
                code = canonical;
            } else {
                system = NamingSystems.localCodes(ctx.facility);
            }
        }
        Coding coding = new Coding().setSystem(system).setCode(code);
        if (display != null) {
            coding.setDisplay(display);
        }
        cc.addCoding(coding);
    }

    /** The FHIR system of an HL7 coding-system name; local or unnamed ones are the facility's. */
    String system(String systemName) {
        return CodingSystems.uriFor(systemName).orElse(NamingSystems.localCodes(ctx.facility));
    }

    /** A DTM as a FHIR dateTime at its own precision; a bad value is reported and skipped. */
    DateTimeType dateTime(String raw, String location) {
        if (raw == null) {
            return null;
        }
        try {
            return DateNormalizer.toDateTimeType(raw);
        } catch (NormalizationException e) {
            ctx.warning(location, "date/time '" + raw + "' left out: " + e.getReason());
            return null;
        }
    }

    /** XPN to HumanName: .1 family, .2 and .3 given, .4 suffix, .5 prefix, .7 name type to use. */
    HumanName name(Type xpn) {
        String family = V2.subcomponent(xpn, 1, 1);
        String given = V2.component(xpn, 2);
        String middle = V2.component(xpn, 3);
        if (family == null && given == null && middle == null) {
            return null;
        }
        HumanName name = new HumanName();
        name.setFamily(family);
        if (given != null) {
            name.addGiven(given);
        }
        if (middle != null) {
            name.addGiven(middle);
        }
        if (V2.component(xpn, 4) != null) {
            name.addSuffix(V2.component(xpn, 4));
        }
        if (V2.component(xpn, 5) != null) {
            name.addPrefix(V2.component(xpn, 5));
        }
        String type = V2.component(xpn, 7);
        if (type != null) {
            switch (type.toUpperCase(Locale.ROOT)) {
                case "L" -> name.setUse(HumanName.NameUse.OFFICIAL);
                case "D" -> name.setUse(HumanName.NameUse.USUAL);
                case "M" -> name.setUse(HumanName.NameUse.MAIDEN);
                case "N" -> name.setUse(HumanName.NameUse.NICKNAME);
                case "A" -> name.setUse(HumanName.NameUse.ANONYMOUS);
                case "T" -> name.setUse(HumanName.NameUse.TEMP);
                default -> {}
            }
        }
        return NameNormalizer.normalize(name);
    }

    /**
     * XAD to Address: .1 and .2 lines, .3 city, .4 province (recognised spellings become the
     * province name with its ISO 3166-2 code), .5 postal code, .6 country, .7 type, .9 (or .8)
     * district.
     */
    Address address(Type xad, String location) {
        Address a = new Address();
        String street = V2.subcomponent(xad, 1, 1);
        if (street != null) {
            a.addLine(street);
        }
        if (V2.component(xad, 2) != null) {
            a.addLine(V2.component(xad, 2));
        }
        a.setCity(V2.component(xad, 3));
        a.setPostalCode(V2.component(xad, 5));
        String country = V2.component(xad, 6);
        if (country != null) {
            a.setCountry(country.equalsIgnoreCase("PAK") ? "PK" : country);
        }
        String district = V2.component(xad, 9) != null ? V2.component(xad, 9) : V2.component(xad, 8);
        a.setDistrict(district);
        String province = V2.component(xad, 4);
        a.setState(province);
        String type = V2.component(xad, 7);
        if (type != null) {
            switch (type.toUpperCase(Locale.ROOT)) {
                case "H", "P" -> a.setUse(Address.AddressUse.HOME);
                case "B", "O" -> a.setUse(Address.AddressUse.WORK);
                case "C" -> a.setUse(Address.AddressUse.TEMP);
                case "M" -> a.setType(Address.AddressType.POSTAL);
                default -> {}
            }
        }
        if (a.isEmpty()) {
            return null;
        }
        if (province != null && AddressNormalizer.province(province).isEmpty()) {
            ctx.warning(location + ".4", "province '" + province + "' not recognised; kept as sent");
        }
        return AddressNormalizer.normalize(a);
    }

    /**
     * XTN to ContactPoint: the number from .12 (v2.6+), .1 (v2.3-2.5) or .5/.6/.7, to E.164; an
     * e-mail from .4; .2 use code. Numbers that are not valid are reported and left out.
     */
    ContactPoint telecom(Type xtn, String location) {
        String useCode = upper(V2.component(xtn, 2));
        String equipment = upper(V2.component(xtn, 3));
        String email = V2.component(xtn, 4);
        if ("NET".equals(useCode) || "INTERNET".equals(equipment) || "X.400".equals(equipment)) {
            return email == null
                    ? null
                    : new ContactPoint()
                            .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                            .setValue(email);
        }
        String number = V2.component(xtn, 12);
        if (number == null) {
            number = V2.component(xtn, 1);
        }
        if (number == null && V2.component(xtn, 7) != null) {
            String cc = V2.component(xtn, 5);
            String area = V2.component(xtn, 6);
            number = (cc != null ? "+" + cc.replace("+", "") : "") + (area != null ? area : "") + V2.component(xtn, 7);
        }
        if (number == null) {
            if (email != null) {
                return new ContactPoint()
                        .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                        .setValue(email);
            }
            return null;
        }
        ContactPoint cp;
        try {
            cp = PhoneNormalizer.toContactPoint(number);
        } catch (NormalizationException e) {
            ctx.warning(location, "phone number left out: " + e.getReason());
            return null;
        }
        if ("FX".equals(equipment)) {
            cp.setSystem(ContactPoint.ContactPointSystem.FAX);
        }
        if (!cp.hasUse() && useCode != null) {
            switch (useCode) {
                case "PRN", "ORN" -> cp.setUse(ContactPoint.ContactPointUse.HOME);
                case "WPN" -> cp.setUse(ContactPoint.ContactPointUse.WORK);
                default -> {}
            }
        }
        return cp;
    }

    /**
     * CX to Identifier value parts: .1 value, .4 assigning authority, .5 type. Returns the
     * assigning authority's namespace (or universal id), or null.
     */
    static String authority(Type cx) {
        String namespace = V2.subcomponent(cx, 4, 1);
        return namespace != null ? namespace : V2.subcomponent(cx, 4, 2);
    }

    /**
     * An identifier typed with an HL7 table 0203 code; a type the table does not define (a sender's
     * own MRN, SSN, PK...) is kept as the type's text, never as a v2-0203 code.
     */
    static Identifier typedIdentifier(String system, String value, String v2Type, String display) {
        Identifier id = new Identifier().setSystem(system).setValue(value);
        if (v2Type != null && V2Tables.defines(V2Tables.IDENTIFIER_TYPE, v2Type)) {
            id.setType(new CodeableConcept(new Coding(V2Tables.IDENTIFIER_TYPE, v2Type, display)));
        } else if (v2Type != null) {
            id.setType(new CodeableConcept().setText(display != null ? display : v2Type));
        }
        return id;
    }

    /**
     * PL to a Location (conditional create on the facility-scoped identifier {@code ward/room/bed}):
     * .1 point of care, .2 room, .3 bed, .9 description. Null (with a warning) when the PL names no
     * ward, room or bed.
     */
    Reference location(Type pl, String location) {
        if (pl == null) {
            return null;
        }
        String ward = V2.component(pl, 1);
        String room = V2.component(pl, 2);
        String bed = V2.component(pl, 3);
        String description = V2.component(pl, 9);
        if (ward == null && room == null && bed == null) {
            ctx.missing(location, "location names no ward, room or bed; not mapped");
            return null;
        }
        StringBuilder key = new StringBuilder();
        StringBuilder name = new StringBuilder();
        for (String[] part : new String[][] {{ward, ""}, {room, "room "}, {bed, "bed "}}) {
            if (part[0] != null) {
                key.append(key.length() > 0 ? "/" : "").append(part[0]);
                name.append(name.length() > 0 ? ", " : "").append(part[1]).append(part[0]);
            }
        }
        Location loc = new Location();
        loc.addIdentifier().setSystem(Hl7v2Systems.location(ctx.facility)).setValue(key.toString());
        loc.setName(description != null ? description : name.toString());
        loc.setStatus(Location.LocationStatus.ACTIVE);
        loc.setMode(Location.LocationMode.INSTANCE);
        String physical = bed != null ? "bd" : room != null ? "ro" : "wa";
        String physicalDisplay = bed != null ? "Bed" : room != null ? "Room" : "Ward";
        loc.setPhysicalType(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/location-physical-type", physical, physicalDisplay)));
        loc.setManagingOrganization(new Reference(ctx.organizationRef));
        String ref = ctx.bundle.conditionalCreate(
                loc, Hl7Context.identifierQuery(Hl7v2Systems.location(ctx.facility), key.toString()));
        return new Reference(ref).setDisplay(loc.getName());
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
