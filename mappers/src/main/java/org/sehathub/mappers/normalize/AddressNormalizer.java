package org.sehathub.mappers.normalize;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;

/**
 * Addresses: the province is recognised from its many spellings (KPK, NWFP, ICT, AJK, Urdu script)
 * and written as its English name in {@code Address.state}, which also carries the ISO 3166-2:PK
 * code in the core {@code iso21090-SC-coding} extension; the district is kept in {@code
 * Address.district}; city and district are tidied like names; lines only have their whitespace
 * collapsed (house and street numbers such as {@code G-9/4} must not be re-cased).
 */
public final class AddressNormalizer {

    /** Core R4 extension "Coding for String": a code for a string element (here Address.state). */
    public static final String STATE_CODING_EXTENSION = "http://hl7.org/fhir/StructureDefinition/iso21090-SC-coding";

    private static final Map<String, Province> BY_ALIAS = new HashMap<>();

    static {
        for (Province province : Province.values()) {
            BY_ALIAS.put(key(province.displayName()), province);
            BY_ALIAS.put(key(province.isoCode()), province);
            province.aliases().forEach(alias -> BY_ALIAS.put(key(alias), province));
        }
    }

    private AddressNormalizer() {}

    /**
     * A normalized copy of the address. An unrecognised province is kept as sent (tidied) so nothing
     * is lost; callers that care call {@link #province(String)} and report it.
     */
    public static Address normalize(Address address) {
        Address copy = address.copy();
        for (StringType line : copy.getLine()) {
            if (line.getValue() != null) {
                line.setValue(NameNormalizer.collapseWhitespace(line.getValue()));
            }
        }
        if (copy.hasCity()) {
            copy.setCity(NameNormalizer.tidy(copy.getCity()));
        }
        if (copy.hasDistrict()) {
            copy.setDistrict(NameNormalizer.tidy(copy.getDistrict()));
        }
        if (copy.hasPostalCode()) {
            copy.setPostalCode(NameNormalizer.collapseWhitespace(copy.getPostalCode()));
        }
        if (copy.hasState()) {
            Optional<Province> province = province(copy.getState());
            if (province.isPresent()) {
                setProvince(copy, province.get());
            } else {
                copy.setState(NameNormalizer.tidy(copy.getState()));
            }
        }
        return copy;
    }

    /** Writes the province name to Address.state with its ISO code, and country PK if empty. */
    public static Address setProvince(Address address, Province province) {
        StringType state = new StringType(province.displayName());
        state.addExtension(new Extension(STATE_CODING_EXTENSION, province.toCoding()));
        address.setStateElement(state);
        if (!address.hasCountry()) {
            address.setCountry("PK");
        }
        return address;
    }

    /**
     * The province for a name, ISO code or alias, ignoring case, dots, {@code &}/{@code and} and
     * spacing; empty when nothing matches.
     */
    public static Optional<Province> province(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_ALIAS.get(key(raw)));
    }

    private static String key(String raw) {
        String value = raw.toLowerCase(Locale.ROOT).replace("&", " and ").replace(".", "");
        value = value.replaceAll("[\\s_,]+", " ").strip();
        // "Azad Jammu and Kashmir" and "Azad Jammu Kashmir" are the same place.
        value = value.replace(" and ", " ");
        // "Gilgit-Baltistan", "Gilgit Baltistan"; but keep ISO codes' hyphen ("pk-pb").
        if (!value.matches("pk-[a-z]{2}")) {
            value = value.replace('-', ' ').replaceAll(" +", " ");
        }
        return value;
    }
}
