package org.sehathub.mappers.normalize;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.sehathub.mappers.NamingSystems;

/**
 * The provinces and territories of Pakistan with their ISO 3166-2:PK codes and the spellings that
 * reach us. (FATA merged into Khyber Pakhtunkhwa in 2018.)
 */
public enum Province {
    PUNJAB("PK-PB", "Punjab", List.of("pb", "pk-pb", "panjab", "پنجاب")),
    SINDH("PK-SD", "Sindh", List.of("sd", "pk-sd", "sind", "سندھ")),
    KHYBER_PAKHTUNKHWA(
            "PK-KP",
            "Khyber Pakhtunkhwa",
            List.of(
                    "kp",
                    "pk-kp",
                    "kpk",
                    "nwfp",
                    "n w f p",
                    "north west frontier province",
                    "khyber pakhtoonkhwa",
                    "khyber pakhtunkhawa",
                    "fata",
                    "خیبر پختونخوا",
                    "خیبر پختونخواہ")),
    BALOCHISTAN("PK-BA", "Balochistan", List.of("ba", "pk-ba", "baluchistan", "bl", "بلوچستان")),
    ISLAMABAD(
            "PK-IS",
            "Islamabad",
            List.of("is", "pk-is", "ict", "islamabad capital territory", "federal capital", "اسلام آباد")),
    GILGIT_BALTISTAN(
            "PK-GB", "Gilgit-Baltistan", List.of("gb", "pk-gb", "gilgit baltistan", "northern areas", "گلگت بلتستان")),
    AZAD_JAMMU_AND_KASHMIR(
            "PK-JK",
            "Azad Jammu and Kashmir",
            List.of(
                    "jk",
                    "pk-jk",
                    "ajk",
                    "aj&k",
                    "azad kashmir",
                    "azad jammu kashmir",
                    "آزاد کشمیر",
                    "آزاد جموں و کشمیر"));

    private final String isoCode;
    private final String displayName;
    private final List<String> aliases;

    Province(String isoCode, String displayName, List<String> aliases) {
        this.isoCode = isoCode;
        this.displayName = displayName;
        this.aliases = aliases;
    }

    /** ISO 3166-2 code, e.g. {@code PK-PB}. */
    public String isoCode() {
        return isoCode;
    }

    /** English name, e.g. {@code Khyber Pakhtunkhwa}. */
    public String displayName() {
        return displayName;
    }

    List<String> aliases() {
        return aliases;
    }

    /** The ISO 3166-2 coding ({@code urn:iso:std:iso:3166:-2}). */
    public Coding toCoding() {
        return new Coding(NamingSystems.PROVINCE_ISO, isoCode, displayName);
    }
}
