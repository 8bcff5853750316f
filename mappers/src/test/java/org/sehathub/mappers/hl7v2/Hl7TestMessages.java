package org.sehathub.mappers.hl7v2;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.terminology.TerminologyMaps;

/** Minimal messages for field-level tests: a header plus the segments under test. */
final class Hl7TestMessages {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T05:00:00Z"), ZoneOffset.UTC);
    static final Hl7v2Mapper MAPPER = new Hl7v2Mapper(TerminologyMaps.loadDefault(), CLOCK);
    static final String PID = "PID|1||MR-1001^^^Mayo Hospital Lahore^MR||Raza^Ali||19850412|M";

    private Hl7TestMessages() {}

    static String msh(String type, String version) {
        return "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315103000||" + type + "|MSG-1|P|"
                + version;
    }

    /** A v2.5 message of the given type made of the header and these segments. */
    static String message(String type, String... segments) {
        return msh(type, "2.5") + "\r" + String.join("\r", segments) + "\r";
    }

    static MappingResult map(String type, String... segments) {
        return MAPPER.map(message(type, segments));
    }

    static <T extends Resource> List<T> resources(MappingResult result, Class<T> type) {
        return resources(result.bundle(), type);
    }

    static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .collect(Collectors.toList());
    }

    static <T extends Resource> T only(MappingResult result, Class<T> type) {
        List<T> all = resources(result, type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", got " + all.size());
        }
        return all.get(0);
    }

    static List<String> issuesAt(MappingResult result, String location) {
        return result.issues().stream()
                .filter(i -> location.equals(i.location()))
                .map(MappingIssue::toString)
                .collect(Collectors.toList());
    }
}
