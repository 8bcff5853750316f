package org.sehathub.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.sink.MessageReceipt;

/** Which messages group commit keeps apart. */
class GroupKeysTest {

    private static final String MRN = "https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore";

    @Test
    void twoMessagesAboutOnePatientShareAKeyWhicheverWayTheyWriteHer() {
        Set<String> created = GroupKeys.of(
                message(entry(new Patient(), Bundle.HTTPVerb.POST, "Patient", "identifier=" + MRN + "|M-1")),
                receipt("1"));
        Set<String> createdWithType = GroupKeys.of(
                message(entry(new Patient(), Bundle.HTTPVerb.POST, "Patient", "Patient?identifier=" + MRN + "%7CM-1")),
                receipt("2"));
        Set<String> updated = GroupKeys.of(
                message(entry(new Patient(), Bundle.HTTPVerb.PUT, "Patient?identifier=" + MRN + "%7CM-1", null)),
                receipt("3"));

        assertThat(shared(created, createdWithType)).isTrue();
        assertThat(shared(created, updated)).isTrue();
        assertThat(shared(createdWithType, updated)).isTrue();
    }

    @Test
    void messagesAboutDifferentPatientsShareNothing() {
        Set<String> first = GroupKeys.of(
                message(
                        entry(new Patient(), Bundle.HTTPVerb.POST, "Patient", "identifier=" + MRN + "|M-1"),
                        entry(new Observation(), Bundle.HTTPVerb.POST, "Observation", null)),
                receipt("1"));
        Set<String> second = GroupKeys.of(
                message(
                        entry(new Patient(), Bundle.HTTPVerb.POST, "Patient", "identifier=" + MRN + "|M-2"),
                        entry(new Observation(), Bundle.HTTPVerb.POST, "Observation", null)),
                receipt("2"));

        // A plain create names no existing resource: "Observation" is no key.
        assertThat(first).noneMatch(key -> key.equals("Observation"));
        assertThat(shared(first, second)).isFalse();
    }

    @Test
    void theSameMessageIdOrTheSameResourceIdOrFullUrlIsAKey() {
        Bundle a = message(entry(new Observation(), Bundle.HTTPVerb.PUT, "Observation/obs-1", null));
        Bundle b = message(entry(new Observation(), Bundle.HTTPVerb.PUT, "Observation/obs-2", null));
        b.getEntryFirstRep().setFullUrl(a.getEntryFirstRep().getFullUrl());

        assertThat(shared(GroupKeys.of(message(), receipt("1")), GroupKeys.of(message(), receipt("1"))))
                .isTrue();
        assertThat(shared(GroupKeys.of(a, receipt("1")), GroupKeys.of(a.copy(), receipt("2"))))
                .isTrue();
        assertThat(shared(GroupKeys.of(b, receipt("2")), GroupKeys.of(a, receipt("1"))))
                .isTrue();
        assertThat(shared(GroupKeys.of(message(), receipt("1")), GroupKeys.of(message(), receipt("2"))))
                .isFalse();
    }

    private static boolean shared(Set<String> one, Set<String> other) {
        return !Collections.disjoint(one, other);
    }

    private static MessageReceipt receipt(String messageId) {
        return new MessageReceipt("hl7v2", "MAYO", messageId, "hash", "MAYO");
    }

    private static Bundle message(Bundle.BundleEntryComponent... entries) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Bundle.BundleEntryComponent entry : entries) {
            bundle.addEntry(entry);
        }
        return bundle;
    }

    private static int fullUrls;

    private static Bundle.BundleEntryComponent entry(
            Resource resource, Bundle.HTTPVerb method, String url, String ifNoneExist) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent()
                .setFullUrl("urn:uuid:entry-" + ++fullUrls)
                .setResource(resource);
        entry.getRequest().setMethod(method).setUrl(url).setIfNoneExist(ifNoneExist);
        return entry;
    }
}
